package dev.surge.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A worker's stop request, which every wait of the worker (backoffs, retries) ends on. */
final class StopSignal {
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Requests the stop; returns whether this call was the first. */
  boolean stop() {
    boolean first = stopped.getCount() > 0;
    stopped.countDown();
    return first;
  }

  boolean stopped() {
    return stopped.getCount() == 0;
  }

  /**
   * Waits {@code d}, or less when the stop comes (or the thread is interrupted) first; returns
   * whether the whole wait passed without a stop.
   */
  boolean pause(Duration d) {
    try {
      return !stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
