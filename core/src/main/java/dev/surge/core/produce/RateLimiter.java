package dev.surge.core.produce;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket shared by concurrent senders: {@link #reserve(int)} books {@code n} permits and
 * returns how long the caller must wait before using them. Time comes from an injected nanosecond
 * source, so tests run without sleeping. Thread-safe.
 */
public final class RateLimiter {
  private final double permitsPerSecond;
  private final LongSupplier nanoTime;
  private long nextFreeNanos;

  /** At most {@code permitsPerSecond} permits a second, on average. */
  public RateLimiter(double permitsPerSecond, LongSupplier nanoTime) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("rate must be > 0, was " + permitsPerSecond);
    }
    this.permitsPerSecond = permitsPerSecond;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.nextFreeNanos = nanoTime.getAsLong();
  }

  /** Books {@code n} permits; returns the nanoseconds to wait before using them (0 = now). */
  public synchronized long reserve(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1");
    }
    long now = nanoTime.getAsLong();
    long start = Math.max(now, nextFreeNanos);
    nextFreeNanos = start + (long) (n * 1e9 / permitsPerSecond);
    return start - now;
  }
}
