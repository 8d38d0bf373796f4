package dev.surge.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Emptying a table item by item, against a table in memory that pages and throttles. */
class TableItemsTest {
  /**
   * A table keyed by {@code id}, scanned {@code pageSize} items a page, that leaves the last {@code
   * unprocessed} deletes of each of the first {@code throttled} batches unprocessed.
   */
  private static final class Table implements DynamoDbClient {
    final TreeMap<String, Map<String, AttributeValue>> items = new TreeMap<>();
    final int pageSize;
    int unprocessed;
    int throttled;
    final List<Integer> batchSizes = new ArrayList<>();
    final List<String> projections = new ArrayList<>();

    Table(int count, int pageSize, int unprocessed, int throttled) {
      for (int i = 0; i < count; i++) {
        String id = String.format("%09d", i);
        items.put(
            id, Map.of("id", AttributeValue.fromS(id), "host", AttributeValue.fromS("task-1")));
      }
      this.pageSize = pageSize;
      this.unprocessed = unprocessed;
      this.throttled = throttled;
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest r) {
      return DescribeTableResponse.builder()
          .table(
              t ->
                  t.tableName(r.tableName())
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName("id")
                              .keyType(KeyType.HASH)
                              .build()))
          .build();
    }

    @Override
    public ScanResponse scan(ScanRequest r) {
      projections.add(r.projectionExpression() + " " + r.expressionAttributeNames());
      String after = r.hasExclusiveStartKey() ? r.exclusiveStartKey().get("id").s() : null;
      var rest = after == null ? items : items.tailMap(after, false);
      List<Map<String, AttributeValue>> page = new ArrayList<>();
      for (String id : rest.keySet()) {
        if (page.size() == pageSize) {
          break;
        }
        page.add(Map.of("id", AttributeValue.fromS(id)));
      }
      ScanResponse.Builder b = ScanResponse.builder().items(page).count(page.size());
      if (page.size() == pageSize && !page.isEmpty()) {
        b.lastEvaluatedKey(page.get(page.size() - 1));
      }
      return b.build();
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest r) {
      List<WriteRequest> writes = r.requestItems().get("t");
      batchSizes.add(writes.size());
      assertThat(writes.size()).isBetween(1, TableItems.BATCH);
      int keep = throttled-- > 0 ? Math.min(unprocessed, writes.size()) : 0;
      List<WriteRequest> done = writes.subList(0, writes.size() - keep);
      done.forEach(w -> items.remove(w.deleteRequest().key().get("id").s()));
      return BatchWriteItemResponse.builder()
          .unprocessedItems(
              keep == 0
                  ? Map.of()
                  : Map.of("t", writes.subList(writes.size() - keep, writes.size())))
          .build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  private final List<Duration> slept = new ArrayList<>();

  private TableItems items(Table t, int attempts) {
    return new TableItems(
        t, new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), attempts), slept::add);
  }

  @Test
  void everyItemOfEveryPageIsDeletedInBatchesOf25AndCounted() throws Exception {
    Table t = new Table(1100, 100, 0, 0);
    assertThat(items(t, 8).deleteAll("t")).isEqualTo(1100);
    assertThat(t.items).isEmpty();
    assertThat(t.batchSizes).hasSize(44).allMatch(n -> n == 25);
    // Only the key is read.
    assertThat(t.projections).first().isEqualTo("#k0 {#k0=id}");
    assertThat(slept).isEmpty();
  }

  @Test
  void unprocessedDeletesAreSentAgainAfterABackoffUntilNoneIsLeft() throws Exception {
    Table t = new Table(60, 1000, 7, 3);
    assertThat(items(t, 8).deleteAll("t")).isEqualTo(60);
    assertThat(t.items).isEmpty();
    // 25 (7 left), 7 again (all left), 7 again (all left), then done; then 25 and 10.
    assertThat(t.batchSizes).containsExactly(25, 7, 7, 7, 25, 10);
    assertThat(slept).hasSize(3);
  }

  @Test
  void deletesStillUnprocessedAfterEveryAttemptAreAnErrorNotASilentRest() {
    Table t = new Table(25, 1000, 5, 100);
    assertThatThrownBy(() -> items(t, 3).deleteAll("t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("5 item(s) of table t were still unprocessed after 3 attempts");
    assertThat(t.items).hasSize(5);
  }

  @Test
  void anEmptyTableDeletesNothing() throws Exception {
    Table t = new Table(0, 100, 0, 0);
    assertThat(items(t, 8).deleteAll("t")).isZero();
    assertThat(t.batchSizes).isEmpty();
  }
}
