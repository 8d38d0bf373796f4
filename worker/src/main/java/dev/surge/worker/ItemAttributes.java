package dev.surge.worker;

import dev.surge.core.item.ItemSchema;
import dev.surge.core.item.WorkItem;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps a {@link WorkItem} to DynamoDB attributes ({@link ItemSchema} names). */
final class ItemAttributes {
  private ItemAttributes() {}

  static Map<String, AttributeValue> of(WorkItem item) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    m.put(ItemSchema.KEY, s(item.queueMessage()));
    m.put(ItemSchema.HOST, s(item.host()));
    m.put(ItemSchema.MESSAGE_ID, s(item.messageId()));
    m.put(ItemSchema.TASK_ID, s(item.taskId()));
    m.put(ItemSchema.SENT_AT, s(item.sentAt().toString()));
    m.put(ItemSchema.PROCESSED_AT, s(item.processedAt().toString()));
    m.put(ItemSchema.RECEIVE_COUNT, n(item.receiveCount()));
    m.put(ItemSchema.LATENCY_MS, n(item.latencyMs()));
    return m;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }
}
