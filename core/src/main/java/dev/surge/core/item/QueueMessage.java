package dev.surge.core.item;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as received from the queue, free of any SDK type.
 *
 * @param messageId the queue's id of the message (stable across redeliveries)
 * @param receiptHandle the handle of this receive, needed to delete or release it
 * @param body the message body
 * @param sentAt when the queue accepted the message ({@code SentTimestamp})
 * @param receiveCount how many times it has been received, this time included ({@code
 *     ApproximateReceiveCount})
 */
public record QueueMessage(
    String messageId, String receiptHandle, String body, Instant sentAt, int receiveCount) {

  /** Rejects missing fields; a receive count below 1 means the attribute was not requested. */
  public QueueMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(receiptHandle, "receiptHandle");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sentAt, "sentAt");
    if (receiveCount < 1) {
      throw new IllegalArgumentException("receiveCount must be >= 1, was " + receiveCount);
    }
  }
}
