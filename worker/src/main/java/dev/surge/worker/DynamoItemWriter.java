package dev.surge.worker;

import dev.surge.core.ConfigException;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.item.WorkItem;
import dev.surge.core.retry.Backoff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items with {@code BatchWriteItem} (at most 25 per request). {@code UnprocessedItems} are
 * retried with exponential backoff and full jitter. A {@code ValidationException} fails a whole
 * request, so the request's items are then written one by one to isolate the invalid one: the
 * others succeed, it alone is {@link WriteOutcome.Rejected}. A stop ends the retries at once: what
 * is not written by then is {@link WriteOutcome.Retry}, for redelivery. A request denied on every
 * attempt ({@code AccessDeniedException}) is a {@link ConfigException}: the role lacks the write.
 */
final class DynamoItemWriter {
  private static final Logger log = LoggerFactory.getLogger(DynamoItemWriter.class);

  /** DynamoDB's limit per BatchWriteItem. */
  static final int MAX_BATCH = 25;

  private final DynamoDbClient dynamodb;
  private final String table;
  private final Backoff backoff;
  private final StopSignal stop;

  DynamoItemWriter(DynamoDbClient dynamodb, String table, Backoff backoff, StopSignal stop) {
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
    this.table = Objects.requireNonNull(table, "table");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /**
   * Writes {@code items}, whose keys must be distinct (DynamoDB rejects a batch with a repeated
   * key). Returns one outcome per key.
   *
   * @throws ConfigException when the table does not exist, or every attempt was denied
   */
  Map<String, WriteOutcome> write(List<WorkItem> items) {
    Map<String, WriteOutcome> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i += MAX_BATCH) {
      writeBatch(items.subList(i, Math.min(items.size(), i + MAX_BATCH)), outcomes);
    }
    return outcomes;
  }

  private void writeBatch(List<WorkItem> batch, Map<String, WriteOutcome> outcomes) {
    Map<String, WorkItem> byKey = new LinkedHashMap<>();
    Map<String, WriteRequest> pending = new LinkedHashMap<>();
    for (WorkItem item : batch) {
      byKey.put(item.queueMessage(), item);
      pending.put(
          item.queueMessage(),
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(ItemAttributes.of(item)).build())
              .build());
    }
    int attempts = 0;
    while (!pending.isEmpty()) {
      attempts++;
      String failure;
      DynamoDbException denied = null;
      try {
        BatchWriteItemResponse response =
            dynamodb.batchWriteItem(
                b -> b.requestItems(Map.of(table, new ArrayList<>(pending.values()))));
        List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
        Map<String, WriteRequest> left = new LinkedHashMap<>();
        for (WriteRequest w : unprocessed) {
          String key = w.putRequest().item().get(ItemSchema.KEY).s();
          left.put(key, w);
        }
        for (String key : pending.keySet()) {
          if (!left.containsKey(key)) {
            outcomes.put(key, WriteOutcome.WRITTEN);
          }
        }
        pending.clear();
        pending.putAll(left);
        if (pending.isEmpty()) {
          return;
        }
        failure = pending.size() + " unprocessed items";
      } catch (ResourceNotFoundException e) {
        throw new ConfigException(
            "table '" + table + "' does not exist (" + e.awsErrorDetails().errorMessage() + ")", e);
      } catch (DynamoDbException e) {
        if (isValidation(e)) {
          isolate(pending, byKey, outcomes);
          return;
        }
        // The code and the message: an AccessDeniedException names the action and the resource.
        failure =
            e.awsErrorDetails() == null
                ? e.toString()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        denied = AccessDenied.is(e) ? e : null;
      } catch (SdkException e) {
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (denied != null && !backoff.canRetry(attempts) && !stop.stopped()) {
        // Denied on every attempt (retried first: a new role's policy takes a few seconds to
        // apply): no later receive can write either. The worker ends with a configuration error
        // and the batch stays hidden, to come back after its visibility timeout.
        throw new ConfigException(
            "not allowed to write to table '"
                + table
                + "' ("
                + failure
                + "); the task role needs dynamodb:BatchWriteItem on it. The messages stay in"
                + " the queue",
            denied);
      }
      if (!backoff.canRetry(attempts)
          || !stop.pause(backoff.delay(attempts - 1, ThreadLocalRandom.current()))) {
        log.warn(
            "{} items not written after {} attempts ({}{}); their messages will be redelivered",
            pending.size(),
            attempts,
            failure,
            stop.stopped() ? "; stopping" : "");
        for (String key : pending.keySet()) {
          outcomes.put(key, new WriteOutcome.Retry(failure));
        }
        return;
      }
      log.debug("retrying {} items (attempt {}): {}", pending.size(), attempts + 1, failure);
    }
  }

  /** Writes each item alone; only the invalid ones fail. */
  private void isolate(
      Map<String, WriteRequest> pending,
      Map<String, WorkItem> byKey,
      Map<String, WriteOutcome> outcomes) {
    for (String key : pending.keySet()) {
      WorkItem item = byKey.get(key);
      try {
        dynamodb.putItem(b -> b.tableName(table).item(ItemAttributes.of(item)));
        outcomes.put(key, WriteOutcome.WRITTEN);
      } catch (DynamoDbException e) {
        if (isValidation(e)) {
          String reason = e.awsErrorDetails().errorMessage();
          log.warn("item of message {} rejected by DynamoDB: {}", item.messageId(), reason);
          outcomes.put(key, new WriteOutcome.Rejected(reason));
        } else {
          outcomes.put(key, new WriteOutcome.Retry(e.toString()));
        }
      } catch (SdkException e) {
        outcomes.put(key, new WriteOutcome.Retry(e.toString()));
      }
    }
  }

  private static boolean isValidation(DynamoDbException e) {
    return e.awsErrorDetails() != null
        && "ValidationException".equals(e.awsErrorDetails().errorCode());
  }
}
