package dev.surge.local.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {
  private static final DeliveryPolicy SNS = DeliveryPolicy.snsAwsManaged();

  @Test
  void snsAwsManagedEndpointsRetryThreeTimesAtOnceThenTwiceOneSecondApart() {
    assertThat(SNS.delayAfter(1)).contains(Duration.ZERO);
    assertThat(SNS.delayAfter(3)).contains(Duration.ZERO);
    assertThat(SNS.delayAfter(4)).contains(Duration.ofSeconds(1));
    assertThat(SNS.delayAfter(5)).contains(Duration.ofSeconds(1));
  }

  @Test
  void snsBackoffPhaseGrowsFromOneToTwentySecondsInTenSteps() {
    List<Duration> backoff = new ArrayList<>();
    for (int attempt = 6; attempt <= 15; attempt++) {
      backoff.add(SNS.delayAfter(attempt).orElseThrow());
    }
    assertThat(backoff.get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.get(9)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void snsPostBackoffPhaseRetriesEveryTwentySecondsUntilTheLastOf100015Retries() {
    assertThat(SNS.retries()).isEqualTo(100_015);
    assertThat(SNS.delayAfter(16)).contains(Duration.ofSeconds(20));
    assertThat(SNS.delayAfter(100_015)).contains(Duration.ofSeconds(20));
    assertThat(SNS.delayAfter(100_016)).isEmpty();
  }

  @Test
  void lambdaRetriesAFunctionErrorAfterOneMinuteThenTwo() {
    DeliveryPolicy lambda = DeliveryPolicy.lambdaAsyncFunctionErrors();
    assertThat(lambda.delayAfter(1)).contains(Duration.ofMinutes(1));
    assertThat(lambda.delayAfter(2)).contains(Duration.ofMinutes(2));
    assertThat(lambda.delayAfter(3)).isEmpty();
  }

  @Test
  void scalingCompressesEveryDelayAndKeepsThePhases() {
    DeliveryPolicy fast = SNS.scaled(0.001);
    assertThat(fast.retries()).isEqualTo(SNS.retries());
    assertThat(fast.delayAfter(4)).contains(Duration.ofMillis(1));
    assertThat(fast.delayAfter(16)).contains(Duration.ofMillis(20));
    assertThat(SNS.scaled(0).delayAfter(16)).contains(Duration.ZERO);
  }

  @Test
  void limitingCutsTheLaterPhasesFirst() {
    DeliveryPolicy four = SNS.limitedTo(4);
    assertThat(four.retries()).isEqualTo(4);
    assertThat(four.delayAfter(3)).contains(Duration.ZERO);
    assertThat(four.delayAfter(4)).contains(Duration.ofSeconds(1));
    assertThat(four.delayAfter(5)).isEmpty();
    assertThat(SNS.limitedTo(0).delayAfter(1)).isEmpty();
  }

  @Test
  void noRetryGivesUpAfterTheFirstAttempt() {
    assertThat(DeliveryPolicy.none().delayAfter(1)).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsNegativeCountsAndAMaxBelowTheMin() {
    assertThatThrownBy(() -> new DeliveryPolicy(-1, 0, Duration.ZERO, 0, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new DeliveryPolicy(0, 0, Duration.ofSeconds(2), 1, Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SNS.scaled(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SNS.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
