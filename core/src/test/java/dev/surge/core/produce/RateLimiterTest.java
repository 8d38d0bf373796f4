package dev.surge.core.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void spacesBatchesToTheRate() {
    RateLimiter limiter = new RateLimiter(100, now::get);
    assertThat(limiter.reserve(10)).isZero();
    // 10 permits at 100/s take 100 ms; the next batch must wait for them.
    assertThat(limiter.reserve(10)).isEqualTo(100_000_000L);
    assertThat(limiter.reserve(10)).isEqualTo(200_000_000L);
  }

  @Test
  void idleTimeIsNotSavedUpForABurst() {
    RateLimiter limiter = new RateLimiter(100, now::get);
    now.addAndGet(10_000_000_000L);
    assertThat(limiter.reserve(10)).isZero();
    assertThat(limiter.reserve(10)).isEqualTo(100_000_000L);
  }
}
