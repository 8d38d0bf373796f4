package dev.surge.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleTrackerTest {
  private final MutableClock clock = new MutableClock();
  private final IdleTracker idle = new IdleTracker(Duration.ofSeconds(10), clock);

  @Test
  void oneEmptyPollIsNotEnoughEvenAfterTheWindow() {
    clock.advance(Duration.ofSeconds(30));
    idle.onPoll(0);
    assertThat(idle.windowElapsed()).isFalse();
    idle.onPoll(0);
    assertThat(idle.windowElapsed()).isTrue();
  }

  @Test
  void emptyPollsInsideTheWindowAreNotEnough() {
    idle.onPoll(0);
    idle.onPoll(0);
    idle.onPoll(0);
    clock.advance(Duration.ofSeconds(9));
    assertThat(idle.windowElapsed()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(idle.windowElapsed()).isTrue();
  }

  @Test
  void aNonEmptyPollRestartsTheWindow() {
    idle.onPoll(0);
    clock.advance(Duration.ofSeconds(8));
    idle.onPoll(3);
    idle.onPoll(0);
    idle.onPoll(0);
    clock.advance(Duration.ofSeconds(5));
    assertThat(idle.windowElapsed()).isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(idle.windowElapsed()).isTrue();
  }

  @Test
  void resetStartsAFreshWindow() {
    idle.onPoll(0);
    idle.onPoll(0);
    clock.advance(Duration.ofSeconds(10));
    assertThat(idle.windowElapsed()).isTrue();
    idle.reset();
    assertThat(idle.windowElapsed()).isFalse();
  }
}
