package dev.surge.provision;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
    long n = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r =
          dynamodb.scan(b -> b.tableName(table).select(Select.COUNT).exclusiveStartKey(from));
      n += r.count();
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return n;
  }
}
