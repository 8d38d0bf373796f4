package dev.surge.core.item;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One table item: the message body as the key, plus who processed it and when.
 *
 * @param queueMessage the partition key: the message body
 * @param host host name of the processing task
 * @param messageId the queue's message id
 * @param taskId the processing task's id
 * @param sentAt when the message entered the queue
 * @param processedAt when the worker built the item
 * @param receiveCount how many receives it took ({@code > 1} means it was redelivered)
 * @param latencyMs milliseconds from {@code sentAt} to {@code processedAt} (never negative)
 */
public record WorkItem(
    String queueMessage,
    String host,
    String messageId,
    String taskId,
    Instant sentAt,
    Instant processedAt,
    int receiveCount,
    long latencyMs) {

  /** Rejects missing fields and impossible counts. */
  public WorkItem {
    Objects.requireNonNull(queueMessage, "queueMessage");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(processedAt, "processedAt");
    if (receiveCount < 1) {
      throw new IllegalArgumentException("receiveCount must be >= 1");
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs must be >= 0");
    }
  }

  /**
   * Maps a received message to its item. Clock skew between the queue and the worker can make
   * {@code processedAt} precede {@code sentAt}; the latency is then 0, not negative.
   */
  public static WorkItem of(QueueMessage message, TaskIdentity task, Instant processedAt) {
    long latency = Math.max(0, Duration.between(message.sentAt(), processedAt).toMillis());
    return new WorkItem(
        message.body(),
        task.host(),
        message.messageId(),
        task.taskId(),
        message.sentAt(),
        processedAt,
        message.receiveCount(),
        latency);
  }
}
