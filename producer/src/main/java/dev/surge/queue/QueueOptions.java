package dev.surge.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How the work queue is created.
 *
 * @param visibilityTimeout how long a received message stays hidden; the worker extends it with a
 *     heartbeat while it holds a batch, so this only bounds how late a crashed worker's messages
 *     come back
 * @param maxReceiveCount receives after which a message moves to the dead-letter queue
 */
public record QueueOptions(Duration visibilityTimeout, int maxReceiveCount) {
  /** The default visibility timeout. */
  public static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);

  /** The default redrive threshold. */
  public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;

  /** Validates SQS's ranges. */
  public QueueOptions {
    Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
    if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
      throw new IllegalArgumentException("visibility timeout must be 0 s..12 h");
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be 1..1000");
    }
  }

  /** The defaults. */
  public static QueueOptions defaults() {
    return new QueueOptions(DEFAULT_VISIBILITY, DEFAULT_MAX_RECEIVE_COUNT);
  }
}
