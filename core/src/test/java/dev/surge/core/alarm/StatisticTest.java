package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StatisticTest {
  private static final List<Double> SAMPLES = List.of(2.0, 9.0, 4.0);

  @ParameterizedTest(name = "{0} of [2, 9, 4] = {1}")
  @CsvSource({"SUM,15", "AVERAGE,5", "MAXIMUM,9", "MINIMUM,2", "SAMPLE_COUNT,3"})
  void eachStatisticAggregatesEverySample(Statistic statistic, double expected) {
    assertThat(statistic.apply(SAMPLES)).isEqualTo(expected);
  }

  @Test
  void aSingleNegativeSampleIsItsOwnMinimumAndMaximum() {
    assertThat(Statistic.MAXIMUM.apply(List.of(-3.0))).isEqualTo(-3.0);
    assertThat(Statistic.MINIMUM.apply(List.of(-3.0))).isEqualTo(-3.0);
  }

  @Test
  void noSamplesHaveNoStatisticBecauseAMissingPeriodIsNotZero() {
    assertThatThrownBy(() -> Statistic.SUM.apply(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no samples");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Sum,SUM",
    "SUM,SUM",
    "sum,SUM",
    "Average,AVERAGE",
    "Maximum,MAXIMUM",
    "MINIMUM,MINIMUM",
    "SampleCount,SAMPLE_COUNT",
    "SAMPLE_COUNT,SAMPLE_COUNT"
  })
  void parseAcceptsCloudWatchAndConstantSpellingsInAnyCase(String text, Statistic expected) {
    assertThat(Statistic.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Statistic.class)
  void parseReadsBackEveryCloudWatchName(Statistic statistic) {
    assertThat(Statistic.parse(statistic.cloudWatchName())).isEqualTo(statistic);
  }

  @Test
  void parseRejectsAnUnknownNameAndListsTheValidOnes() {
    assertThatThrownBy(() -> Statistic.parse("p99"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown statistic 'p99'; valid values: Sum, Average, Maximum, Minimum, SampleCount");
  }
}
