package dev.surge.core.port;

/**
 * A queue's approximate counters, as {@code GetQueueAttributes} reports them.
 *
 * @param visible {@code ApproximateNumberOfMessages}: ready to be received
 * @param inFlight {@code ApproximateNumberOfMessagesNotVisible}: received, not yet deleted
 * @param delayed {@code ApproximateNumberOfMessagesDelayed}: not yet visible
 */
public record QueueDepth(long visible, long inFlight, long delayed) {
  /** Counters are never negative. */
  public QueueDepth {
    if (visible < 0 || inFlight < 0 || delayed < 0) {
      throw new IllegalArgumentException("queue counters must be >= 0");
    }
  }

  /** The backlog the trigger scales on: visible plus in flight. */
  public long backlog() {
    return visible + inFlight;
  }

  /** Whether nothing is left at all. */
  public boolean empty() {
    return visible == 0 && inFlight == 0 && delayed == 0;
  }
}
