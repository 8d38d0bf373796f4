package dev.surge.table;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * A table's live item count: a paginated {@code Scan} with {@code Select=COUNT}, as DynamoDB's "Get
 * live item count" does ({@code DescribeTable}'s count is refreshed only every six hours).
 */
public final class ItemCount {
  private ItemCount() {}

  /** Items in {@code table} now. */
  public static long of(DynamoDbClient dynamodb, String table) {
    return count(dynamodb, table, b -> {});
  }

  /**
   * Items in {@code table} now that match {@code filter} (a DynamoDB filter expression with its
   * attribute names and values).
   */
  public static long matching(
      DynamoDbClient dynamodb,
      String table,
      String filter,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    return count(
        dynamodb,
        table,
        b ->
            b.filterExpression(filter)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
  }

  private static long count(
      DynamoDbClient dynamodb, String table, Consumer<ScanRequest.Builder> refine) {
    long n = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r =
          dynamodb.scan(
              b -> {
                b.tableName(table).select(Select.COUNT).exclusiveStartKey(from);
                refine.accept(b);
              });
      n += r.count();
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return n;
  }
}
