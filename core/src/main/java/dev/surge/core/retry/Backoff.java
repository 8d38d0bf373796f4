package dev.surge.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} waits a uniformly random time in {@code
 * [0, min(cap, base * 2^n)]}. Full jitter spreads retries of many workers that failed together.
 *
 * @param base the ceiling of the first wait
 * @param cap the largest ceiling
 * @param maxAttempts attempts in all, the first one included
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

  /** Rejects non-positive durations, a cap below the base, and fewer than one attempt. */
  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got " + base + ", " + cap);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }

  /** The default for SDK calls: 50 ms doubling up to 5 s, 8 attempts (about 10 s at most). */
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5), 8);
  }

  /** The ceiling for the wait after failed attempt {@code attempt} (0-based). */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0");
    }
    int shift = Math.min(attempt, 30);
    long millis = base.toMillis() << shift;
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }

  /** A random wait in {@code [0, ceiling(attempt)]}. */
  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }

  /** Whether another attempt may follow {@code attemptsMade} attempts. */
  public boolean canRetry(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }
}
