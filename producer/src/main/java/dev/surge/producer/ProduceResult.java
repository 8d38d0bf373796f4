package dev.surge.producer;

import java.time.Duration;

/**
 * What a produce run achieved.
 *
 * @param requested messages asked for
 * @param sent messages the queue accepted (exact: counted from the batch responses)
 * @param failed messages given up on after every retry
 * @param retriedEntries batch entries sent again after a failure
 * @param requests SendMessageBatch calls, retries included
 * @param elapsed wall time of the run
 */
public record ProduceResult(
    long requested, long sent, long failed, long retriedEntries, long requests, Duration elapsed) {

  /** Messages accepted per second. */
  public double rate() {
    long ms = elapsed.toMillis();
    return ms == 0 ? sent : sent * 1000.0 / ms;
  }
}
