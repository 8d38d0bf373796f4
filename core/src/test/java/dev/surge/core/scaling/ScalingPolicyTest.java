package dev.surge.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {
  private final ScalingPolicy defaults = ScalingPolicy.Proportional.defaults();

  @Test
  void theSeedsBacklogStartsTheSeedsFourTasks() {
    assertThat(ScalingPolicy.decide(defaults, 1100, 0).toStart()).isEqualTo(4);
  }

  @ParameterizedTest(name = "backlog {0} -> {1} tasks")
  @CsvSource({"0,1", "1,1", "300,1", "301,2", "1100,4", "2999,10", "1000000,10"})
  void desiredIsCeilOfBacklogOverMessagesPerTaskClampedToOneAndMax(long backlog, int desired) {
    assertThat(defaults.desired(backlog)).isEqualTo(desired);
  }

  @Test
  void runningTasksAreSubtracted() {
    ScalingDecision d = ScalingPolicy.decide(defaults, 1100, 3);
    assertThat(d.desired()).isEqualTo(4);
    assertThat(d.toStart()).isEqualTo(1);
  }

  @Test
  void aFullFleetStartsNothingEvenIfAboveTheDesiredSize() {
    assertThat(ScalingPolicy.decide(defaults, 100, 6).toStart()).isZero();
  }

  @Test
  void fixedPolicyReproducesTheSeedsFourTasksRegardlessOfBacklog() {
    ScalingPolicy fixed = new ScalingPolicy.Fixed(4);
    assertThat(ScalingPolicy.decide(fixed, 101, 0).toStart()).isEqualTo(4);
    assertThat(ScalingPolicy.decide(fixed, 100_000, 0).toStart()).isEqualTo(4);
    assertThat(ScalingPolicy.decide(fixed, 100_000, 4).toStart()).isZero();
  }

  @Test
  void eachPolicySaysWhatItDoesInWords() {
    // The demo's banner printed the record: "Proportional[messagesPerTask=300, maxTasks=10]".
    assertThat(defaults.describe())
        .isEqualTo("one task per 300 messages in the queue, at most 10 tasks");
    assertThat(new ScalingPolicy.Proportional(1, 1).describe())
        .isEqualTo("one task per message in the queue, at most 1 task");
    assertThat(new ScalingPolicy.Fixed(4).describe()).isEqualTo("a fixed fleet of 4 tasks");
  }
}
