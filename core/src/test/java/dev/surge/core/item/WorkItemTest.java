package dev.surge.core.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkItemTest {
  private static final TaskIdentity TASK = new TaskIdentity("task-7", "ip-10-0-1-7");

  @Test
  void mapsEveryFieldOfTheMessageAndTheTask() {
    Instant sent = Instant.parse("2026-01-02T03:04:05.000Z");
    Instant processed = Instant.parse("2026-01-02T03:04:05.250Z");
    QueueMessage m = new QueueMessage("mid-1", "rh-1", "123456789", sent, 3);

    WorkItem item = WorkItem.of(m, TASK, processed);

    assertThat(item.queueMessage()).isEqualTo("123456789");
    assertThat(item.host()).isEqualTo("ip-10-0-1-7");
    assertThat(item.taskId()).isEqualTo("task-7");
    assertThat(item.messageId()).isEqualTo("mid-1");
    assertThat(item.sentAt()).isEqualTo(sent);
    assertThat(item.processedAt()).isEqualTo(processed);
    assertThat(item.receiveCount()).isEqualTo(3);
    assertThat(item.latencyMs()).isEqualTo(250);
  }

  @Test
  void clockSkewGivesZeroLatencyNotNegative() {
    Instant sent = Instant.parse("2026-01-02T03:04:05Z");
    QueueMessage m = new QueueMessage("mid", "rh", "1", sent, 1);

    assertThat(WorkItem.of(m, TASK, sent.minusSeconds(2)).latencyMs()).isZero();
  }

  @Test
  void messageWithoutReceiveCountIsRejected() {
    assertThatThrownBy(() -> new QueueMessage("m", "r", "b", Instant.EPOCH, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiveCount");
  }
}
