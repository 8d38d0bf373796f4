package dev.surge.table;

import dev.surge.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Empties a table by deleting every item: a {@code Scan} of the keys, page by page, and {@code
 * BatchWriteItem} deletes of 25, retrying the items DynamoDB leaves unprocessed.
 *
 * <p>Not {@code DeleteTable} and {@code CreateTable}: the table stays in place with its settings,
 * so whatever uses it meanwhile (a running {@code surge up}'s workers writing, its monitor
 * counting) never finds it missing or still {@code CREATING}, and a table made by someone else
 * keeps what they gave it. Deleting costs a write per item, which is nothing locally.
 */
public final class TableItems {
  /** The most deletes one {@code BatchWriteItem} takes. */
  static final int BATCH = 25;

  private final DynamoDbClient dynamodb;
  private final Backoff backoff;
  private final Sleeper sleeper;

  /** Pauses between the retries of unprocessed items. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** Deletes through {@code dynamodb}, retrying unprocessed items with {@code backoff}. */
  public TableItems(DynamoDbClient dynamodb, Backoff backoff) {
    this(dynamodb, backoff, d -> Thread.sleep(d.toMillis()));
  }

  TableItems(DynamoDbClient dynamodb, Backoff backoff, Sleeper sleeper) {
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Deletes every item of {@code table} there is when each page of the scan is read (items written
   * meanwhile may stay) and returns how many it deleted.
   *
   * @throws software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException if there is no
   *     such table
   * @throws IllegalStateException if some items were still unprocessed after every retry
   * @throws InterruptedException if interrupted while waiting to retry
   */
  public long deleteAll(String table) throws InterruptedException {
    List<String> key =
        dynamodb.describeTable(b -> b.tableName(table)).table().keySchema().stream()
            .map(KeySchemaElement::attributeName)
            .toList();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < key.size(); i++) {
      names.put("#k" + i, key.get(i));
    }
    String projection = String.join(", ", names.keySet().stream().sorted().toList());
    long deleted = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      Consumer<software.amazon.awssdk.services.dynamodb.model.ScanRequest.Builder> scan =
          b ->
              b.tableName(table)
                  .projectionExpression(projection)
                  .expressionAttributeNames(names)
                  .exclusiveStartKey(from);
      ScanResponse page = dynamodb.scan(scan);
      List<Map<String, AttributeValue>> keys = page.items();
      for (int i = 0; i < keys.size(); i += BATCH) {
        List<WriteRequest> deletes = new ArrayList<>();
        for (Map<String, AttributeValue> k : keys.subList(i, Math.min(keys.size(), i + BATCH))) {
          deletes.add(
              WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build());
        }
        delete(table, deletes);
        deleted += deletes.size();
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return deleted;
  }

  // One batch, its unprocessed items sent again after a backoff until none is left.
  private void delete(String table, List<WriteRequest> deletes) throws InterruptedException {
    List<WriteRequest> left = deletes;
    for (int attempt = 1; ; attempt++) {
      List<WriteRequest> send = left;
      Map<String, List<WriteRequest>> unprocessed =
          dynamodb.batchWriteItem(b -> b.requestItems(Map.of(table, send))).unprocessedItems();
      left = unprocessed == null ? List.of() : unprocessed.getOrDefault(table, List.of());
      if (left.isEmpty()) {
        return;
      }
      if (!backoff.canRetry(attempt)) {
        throw new IllegalStateException(
            left.size()
                + " item(s) of table "
                + table
                + " were still unprocessed after "
                + attempt
                + " attempts; run it again");
      }
      sleeper.sleep(backoff.delay(attempt - 1, ThreadLocalRandom.current()));
    }
  }
}
