package dev.surge.core.observe;

/**
 * What happened to each message a run sent, counted once: written (its item is in the table),
 * dead-lettered, still in the queue, or removed by a purge of the queue; whatever is none of these
 * is unaccounted for (lost). The one rule of every run's summary: {@code surge demo} and its AWS
 * target, each burst of {@code surge up}, {@code surge chaos} and {@code surge bench --scale}.
 *
 * <p>A run that does not count a place passes 0 for it, and what is there then counts as lost: a
 * chaos run that did not drain fails on that, and what it left is lost to it; a scale drain counts
 * only the table, so a message dead-lettered or left is not drained and is lost to it.
 *
 * @param produced messages the queue accepted
 * @param written messages written: their item is in the table and the worker deleted them
 * @param deadLettered messages in the dead-letter queue
 * @param leftInQueue messages still in the queue (visible or in flight)
 * @param purged messages a {@code PurgeQueue} removed before any task received them
 */
public record Accounting(
    long produced, long written, long deadLettered, long leftInQueue, long purged) {

  /** A run that counts only the table and the dead-letter queue. */
  public static Accounting of(long produced, long written, long deadLettered) {
    return new Accounting(produced, written, deadLettered, 0, 0);
  }

  /** Messages sent that are none of written, dead-lettered, left or purged: lost (must be 0). */
  public long unaccounted() {
    return produced - written - deadLettered - leftInQueue - purged;
  }

  /** Whether every message sent is accounted for. */
  public boolean balanced() {
    return unaccounted() == 0;
  }
}
