package dev.surge.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), 5);

  @Test
  void ceilingDoublesUpToTheCap() {
    assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void delayIsJitteredWithinTheCeiling() {
    SplittableRandom random = new SplittableRandom(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = backoff.delay(3, random).toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isBetween(0L, 40L);
    assertThat(max).isBetween(360L, 400L);
  }

  @Test
  void attemptsAreCountedFromOne() {
    assertThat(backoff.canRetry(4)).isTrue();
    assertThat(backoff.canRetry(5)).isFalse();
  }

  @Test
  void capBelowBaseIsRejected() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
