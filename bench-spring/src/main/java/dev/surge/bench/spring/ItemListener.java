package dev.surge.bench.spring;

import dev.surge.core.item.ItemSchema;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The batch listener: each batch the container polls becomes one item per message, written with
 * {@code BatchWriteItem} (25 a request, unprocessed items retried). It returns only when every item
 * is written, so that the container's ON_SUCCESS acknowledgement deletes the batch; when it throws,
 * nothing of the batch is deleted and the queue delivers it again after its visibility timeout.
 */
public class ItemListener {
  /** DynamoDB's limit of items per {@code BatchWriteItem}. */
  static final int WRITE_BATCH = 25;

  /** Attempts at a batch's unprocessed items before the batch fails. */
  static final int WRITE_ATTEMPTS = 8;

  private final DynamoDbClient dynamodb;
  private final String table;
  private final String taskId;
  private final Progress progress;

  ItemListener(DynamoDbClient dynamodb, String table, String taskId, Progress progress) {
    this.dynamodb = dynamodb;
    this.table = table;
    this.taskId = taskId;
    this.progress = progress;
  }

  /** One polled batch: at most the container's messages per poll. */
  @SqsListener("${" + PeerConfiguration.QUEUE + "}")
  public void onBatch(List<Message<String>> messages) throws InterruptedException {
    progress.received();
    try {
      List<WriteRequest> writes = new ArrayList<>(messages.size());
      for (Message<String> m : messages) {
        writes.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item(m)).build()).build());
      }
      for (int from = 0; from < writes.size(); from += WRITE_BATCH) {
        writeAll(writes.subList(from, Math.min(writes.size(), from + WRITE_BATCH)));
      }
    } catch (RuntimeException | InterruptedException e) {
      progress.failed();
      throw e;
    }
    progress.written(messages.size());
  }

  private void writeAll(List<WriteRequest> writes) throws InterruptedException {
    Map<String, List<WriteRequest>> pending = Map.of(table, writes);
    for (int attempt = 1; ; attempt++) {
      Map<String, List<WriteRequest>> request = pending;
      pending = dynamodb.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
      if (pending.isEmpty()) {
        return;
      }
      if (attempt == WRITE_ATTEMPTS) {
        throw new IllegalStateException(
            "DynamoDB left "
                + pending.get(table).size()
                + " items unprocessed "
                + attempt
                + " times");
      }
      Thread.sleep(Math.min(1000, 25L << attempt));
    }
  }

  // The raw loop's item and the worker's: the body as the key, the message's id, when the queue
  // accepted it and how often it was received, when it was processed and how long after sending.
  private Map<String, AttributeValue> item(Message<String> m) {
    MessageHeaders h = m.getHeaders();
    Instant sent =
        Instant.ofEpochMilli(
            Long.parseLong(header(h, SqsHeaders.MessageSystemAttributes.SQS_SENT_TIMESTAMP)));
    Instant now = Instant.now();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ItemSchema.KEY, AttributeValue.fromS(m.getPayload()));
    item.put(ItemSchema.HOST, AttributeValue.fromS("bench"));
    item.put(ItemSchema.MESSAGE_ID, AttributeValue.fromS(Objects.toString(h.getId())));
    item.put(ItemSchema.TASK_ID, AttributeValue.fromS(taskId));
    item.put(ItemSchema.SENT_AT, AttributeValue.fromS(sent.toString()));
    item.put(ItemSchema.PROCESSED_AT, AttributeValue.fromS(now.toString()));
    item.put(
        ItemSchema.RECEIVE_COUNT,
        AttributeValue.fromN(
            header(h, SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT)));
    item.put(
        ItemSchema.LATENCY_MS,
        AttributeValue.fromN(Long.toString(Math.max(0, now.toEpochMilli() - sent.toEpochMilli()))));
    return item;
  }

  private static String header(MessageHeaders headers, String name) {
    String v = headers.get(name, String.class);
    if (v == null) {
      throw new IllegalStateException("message without header " + name);
    }
    return v;
  }
}
