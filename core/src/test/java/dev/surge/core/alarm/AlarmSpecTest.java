package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AlarmSpecTest {

  private static AlarmSpec spec(Duration period, int evaluationPeriods, int datapointsToAlarm) {
    return new AlarmSpec(
        "backlog",
        "ApproximateNumberOfMessagesVisible",
        "AWS/SQS",
        Map.of("QueueName", "q"),
        Statistic.SUM,
        period,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        100,
        evaluationPeriods,
        datapointsToAlarm,
        TreatMissingData.MISSING);
  }

  @Test
  void theSeedWatchesTheQueuesVisibleMessagesSumAboveOneHundredInOneOfOnePeriods() {
    AlarmSpec seed = AlarmSpec.seed("fasttrack-saa", "demo-decoupling-saa", Duration.ofMinutes(1));

    assertThat(seed.name()).isEqualTo("fasttrack-saa");
    assertThat(seed.namespace()).isEqualTo("AWS/SQS");
    assertThat(seed.metricName()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(seed.dimensions()).containsExactly(Map.entry("QueueName", "demo-decoupling-saa"));
    assertThat(seed.statistic()).isEqualTo(Statistic.SUM);
    assertThat(seed.period()).isEqualTo(Duration.ofMinutes(1));
    assertThat(seed.comparison()).isEqualTo(ComparisonOperator.GREATER_THAN_THRESHOLD);
    assertThat(seed.threshold()).isEqualTo(100.0);
    assertThat(seed.evaluationPeriods()).isEqualTo(1);
    assertThat(seed.datapointsToAlarm()).isEqualTo(1);
    assertThat(seed.treatMissingData()).isEqualTo(TreatMissingData.MISSING);
  }

  @Test
  void dimensionsKeepTheirOrderAndAreACopy() {
    Map<String, String> dims = new LinkedHashMap<>();
    dims.put("Z", "1");
    dims.put("A", "2");
    AlarmSpec s =
        new AlarmSpec(
            "a",
            "m",
            "ns",
            dims,
            Statistic.SUM,
            Duration.ofSeconds(1),
            ComparisonOperator.GREATER_THAN_THRESHOLD,
            1,
            1,
            1,
            TreatMissingData.MISSING);
    dims.put("B", "3");

    assertThat(s.dimensions().keySet()).containsExactly("Z", "A");
    assertThatThrownBy(() -> s.dimensions().put("C", "4"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "period {0} ms is rejected")
  @ValueSource(longs = {0, -1000})
  void thePeriodMustBePositive(long millis) {
    assertThatThrownBy(() -> spec(Duration.ofMillis(millis), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("period must be positive");
  }

  @Test
  void thePeriodMustBeWholeMilliseconds() {
    assertThatThrownBy(() -> spec(Duration.ofNanos(1_500_000), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole milliseconds");
  }

  @Test
  void aMillisecondPeriodIsAllowedSoTestsNeedNotWait() {
    assertThat(spec(Duration.ofMillis(1), 1, 1).period()).isEqualTo(Duration.ofMillis(1));
  }

  @ParameterizedTest(name = "{1} of {0} is rejected")
  @CsvSource({"3,0", "3,4", "1,2", "0,0"})
  void datapointsToAlarmMustBeBetweenOneAndEvaluationPeriods(int n, int m) {
    assertThatThrownBy(() -> spec(Duration.ofMinutes(1), n, m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be");
  }

  @Test
  void mEqualToNIsAllowed() {
    assertThat(spec(Duration.ofMinutes(1), 5, 5).datapointsToAlarm()).isEqualTo(5);
  }

  @Test
  void blankNamesAreRejected() {
    assertThatThrownBy(() -> AlarmSpec.seed(" ", "q", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank");
    assertThatThrownBy(() -> AlarmSpec.seed("a", "", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value of dimension QueueName must not be blank");
  }

  @Test
  void aNonFiniteThresholdIsRejected() {
    assertThatThrownBy(
            () ->
                new AlarmSpec(
                    "a",
                    "m",
                    "ns",
                    Map.of(),
                    Statistic.SUM,
                    Duration.ofSeconds(1),
                    ComparisonOperator.GREATER_THAN_THRESHOLD,
                    Double.NaN,
                    1,
                    1,
                    TreatMissingData.MISSING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold");
  }

  @Test
  void theEvaluationRangeReachesTwoPeriodsBeyondTheEvaluationPeriods() {
    assertThat(spec(Duration.ofMinutes(1), 3, 2).evaluationRange()).isEqualTo(5);
  }

  @Test
  void dynamoDbAlarmsAlwaysIgnoreMissingDataAsInCloudWatch() {
    AlarmSpec dynamo =
        new AlarmSpec(
            "throttles",
            "ThrottledRequests",
            "AWS/DynamoDB",
            Map.of("TableName", "fasttracksaa"),
            Statistic.SUM,
            Duration.ofMinutes(1),
            ComparisonOperator.GREATER_THAN_THRESHOLD,
            0,
            1,
            1,
            TreatMissingData.BREACHING);

    assertThat(dynamo.effectiveTreatMissingData()).isEqualTo(TreatMissingData.IGNORE);
    assertThat(spec(Duration.ofMinutes(1), 1, 1).effectiveTreatMissingData())
        .isEqualTo(TreatMissingData.MISSING);
  }
}
