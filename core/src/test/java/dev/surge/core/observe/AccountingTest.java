package dev.surge.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountingTest {
  @Test
  void everyMessageIsWrittenDeadLetteredLeftOrPurgedOrItIsLost() {
    assertThat(new Accounting(1100, 1000, 50, 30, 20).unaccounted()).isZero();
    assertThat(new Accounting(1100, 1000, 50, 30, 20).balanced()).isTrue();
    assertThat(new Accounting(1100, 999, 50, 30, 20).unaccounted()).isEqualTo(1);
    assertThat(new Accounting(1100, 999, 50, 30, 20).balanced()).isFalse();
  }

  @Test
  void aRunThatCountsOnlyTheTableAndTheDeadLetterQueueLosesWhatIsElsewhere() {
    assertThat(Accounting.of(10_000, 9_900, 100).unaccounted()).isZero();
    assertThat(Accounting.of(10_000, 9_890, 100).unaccounted()).isEqualTo(10);
  }

  @Test
  void aSummaryAccountsByTheSameRule() {
    PipelineEvent.RunSummary s =
        new PipelineEvent.RunSummary(
            1100,
            1000,
            1000,
            50,
            30,
            20,
            0,
            4,
            java.util.Map.of(),
            -1,
            -1,
            0,
            Double.NaN,
            -1,
            WriteRate.NONE,
            dev.surge.core.cost.AwsBill.UNKNOWN);
    assertThat(s.accounting()).isEqualTo(new Accounting(1100, 1000, 50, 30, 20));
    assertThat(s.unaccounted()).isZero();
  }
}
