package dev.surge.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.observe.PipelineEvent.RunSummary;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunSummaryRateTest {
  private static final Instant FIRST = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void theRateIsItemsOverTheSpanFromTheFirstItemToTheLast() {
    assertThat(RunSummary.itemsPerSecond(1100, FIRST, FIRST.plusMillis(5910))).isEqualTo(186.1);
    assertThat(RunSummary.itemsPerSecond(2, FIRST, FIRST.plusSeconds(1))).isEqualTo(2.0);
  }

  @Test
  void underASecondOrForOneItemItIsNotMeasured() {
    assertThat(RunSummary.itemsPerSecond(2, FIRST, FIRST.plusNanos(400_000))).isNaN();
    assertThat(RunSummary.itemsPerSecond(500, FIRST, FIRST.plusMillis(999))).isNaN();
    assertThat(RunSummary.itemsPerSecond(1, FIRST, FIRST)).isNaN();
    assertThat(RunSummary.itemsPerSecond(1, FIRST, FIRST.plusSeconds(5))).isNaN();
    assertThat(RunSummary.itemsPerSecond(0, FIRST, FIRST)).isNaN();
  }
}
