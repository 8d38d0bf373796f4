package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.item.WorkItem;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemAttributesTest {
  @Test
  void everyFieldBecomesAnAttributeOfTheRightType() {
    WorkItem item =
        new WorkItem(
            "123456789",
            "ip-10-0-0-1",
            "mid",
            "task",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:01.500Z"),
            2,
            1500);

    Map<String, AttributeValue> a = ItemAttributes.of(item);

    assertThat(a)
        .containsEntry("queueMessage", AttributeValue.fromS("123456789"))
        .containsEntry("host", AttributeValue.fromS("ip-10-0-0-1"))
        .containsEntry("messageId", AttributeValue.fromS("mid"))
        .containsEntry("taskId", AttributeValue.fromS("task"))
        .containsEntry("sentAt", AttributeValue.fromS("2026-01-01T00:00:00Z"))
        .containsEntry("processedAt", AttributeValue.fromS("2026-01-01T00:00:01.500Z"))
        .containsEntry("receiveCount", AttributeValue.fromN("2"))
        .containsEntry("latencyMs", AttributeValue.fromN("1500"))
        .hasSize(8);
  }
}
