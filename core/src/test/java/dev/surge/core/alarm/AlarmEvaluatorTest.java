package dev.surge.core.alarm;

import static dev.surge.core.alarm.Alarms.period;
import static dev.surge.core.alarm.Alarms.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlarmEvaluatorTest {
  private static final AlarmSpec ONE_OF_ONE = spec(1, 1, TreatMissingData.MISSING);

  @Test
  void anAlarmStartsInInsufficientDataWithNothingToShow() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);

    assertThat(alarm.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(alarm.lastTransition()).isEmpty();
    assertThat(alarm.lastDatapoints()).isEmpty();
    assertThat(alarm.spec()).isSameAs(ONE_OF_ONE);
  }

  @Test
  void withoutAnySampleAMissingDataAlarmStaysInsufficientAndReportsNoChange() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);

    assertThat(alarm.evaluate(period(10))).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
  }

  @Test
  void theFirstBreachingCompletePeriodMovesInsufficientDataToAlarm() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0).plusMillis(10), 1100);

    Optional<AlarmTransition> t = alarm.evaluate(period(1));

    assertThat(t).isPresent();
    assertThat(t.get().alarmName()).isEqualTo("backlog");
    assertThat(t.get().from()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(t.get().to()).isEqualTo(AlarmState.ALARM);
    assertThat(t.get().at()).isEqualTo(period(1));
    assertThat(t.get().datapoints()).containsExactly(new Datapoint(period(0), 1100));
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.lastTransition()).isEqualTo(t);
  }

  @Test
  void aPeriodBackUnderTheThresholdMovesAlarmToOk() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0), 1100);
    alarm.evaluate(period(1));
    alarm.record(period(1), 40);

    Optional<AlarmTransition> t = alarm.evaluate(period(2));

    assertThat(t).map(AlarmTransition::from).contains(AlarmState.ALARM);
    assertThat(t).map(AlarmTransition::to).contains(AlarmState.OK);
    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
  }

  @Test
  void evaluatingAgainWithTheSameDataReportsNoTransition() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0), 1100);
    AlarmTransition first = alarm.evaluate(period(1)).orElseThrow();

    assertThat(alarm.evaluate(period(1))).isEmpty();
    assertThat(alarm.evaluate(period(1).plusMillis(50))).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.lastTransition()).contains(first);
  }

  @Test
  void aStillBreachingNextPeriodKeepsAlarmWithoutAnotherTransition() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0), 1100);
    alarm.evaluate(period(1));
    alarm.record(period(1), 900);

    assertThat(alarm.evaluate(period(2))).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
  }

  @Test
  void setAlarmStateMovesTheAlarmAndTheNextEvaluationGoesOnFromThere() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.NOT_BREACHING));
    alarm.record(period(0), 3);
    assertThat(alarm.evaluate(period(1))).map(AlarmTransition::to).contains(AlarmState.OK);

    Optional<AlarmTransition> set =
        alarm.setState(AlarmState.ALARM, "testing", "{\"a\":1}", period(1).plusMillis(10));

    assertThat(set).isPresent();
    assertThat(set.get().from()).isEqualTo(AlarmState.OK);
    assertThat(set.get().to()).isEqualTo(AlarmState.ALARM);
    assertThat(set.get().reason()).isEqualTo("testing");
    assertThat(set.get().reasonData()).isEqualTo("{\"a\":1}");
    assertThat(set.get().datapoints()).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
    assertThat(alarm.lastTransition()).isEqualTo(set);
    // The state it is in already: nothing happens.
    assertThat(alarm.setState(AlarmState.ALARM, "again", "", period(1).plusMillis(20))).isEmpty();
    // The next period's evaluation, on data below the threshold, moves it back.
    alarm.record(period(1), 3);
    assertThat(alarm.evaluate(period(2))).map(t -> t.from() + "->" + t.to()).contains("ALARM->OK");
  }

  @Test
  void aReconfiguredAlarmKeepsItsStateAndItsSamplesWhenThePeriodIsTheSame() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0), 1100);
    AlarmTransition fired = alarm.evaluate(period(1)).orElseThrow();
    alarm.record(period(1), 150);

    AlarmSpec higher =
        new AlarmSpec(
            "backlog",
            ONE_OF_ONE.metricName(),
            ONE_OF_ONE.namespace(),
            ONE_OF_ONE.dimensions(),
            ONE_OF_ONE.statistic(),
            ONE_OF_ONE.period(),
            ONE_OF_ONE.comparison(),
            200,
            1,
            1,
            TreatMissingData.MISSING);
    AlarmEvaluator updated = alarm.reconfigured(higher);

    assertThat(updated.spec()).isSameAs(higher);
    assertThat(updated.state()).isEqualTo(AlarmState.ALARM);
    assertThat(updated.lastTransition()).contains(fired);
    // The sample of period 1 (150) is kept: under the new threshold it moves the alarm to OK.
    assertThat(updated.evaluate(period(2))).map(AlarmTransition::to).contains(AlarmState.OK);
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);

    AlarmSpec otherPeriod =
        new AlarmSpec(
            "backlog",
            ONE_OF_ONE.metricName(),
            ONE_OF_ONE.namespace(),
            ONE_OF_ONE.dimensions(),
            ONE_OF_ONE.statistic(),
            Duration.ofMillis(200),
            ONE_OF_ONE.comparison(),
            100,
            1,
            1,
            TreatMissingData.MISSING);
    AlarmEvaluator slower = alarm.reconfigured(otherPeriod);
    assertThat(slower.state()).isEqualTo(AlarmState.ALARM);
    assertThat(slower.lastDatapoints()).isEmpty();
    assertThatThrownBy(
            () -> alarm.reconfigured(AlarmSpec.seed("other", "q", Duration.ofMinutes(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSeedAlarmFiresForTheSeedsBacklogDrivenByAClock() {
    MutableClock clock = new MutableClock();
    AlarmEvaluator alarm =
        new AlarmEvaluator(
            AlarmSpec.seed("fasttrack-saa", "demo-decoupling-saa", Duration.ofMinutes(1)));
    alarm.record(clock.instant(), 1100);
    clock.advance(Duration.ofSeconds(30));
    assertThat(alarm.evaluate(clock.instant())).isEmpty();

    clock.advance(Duration.ofSeconds(30));

    assertThat(alarm.evaluate(clock.instant())).map(AlarmTransition::to).contains(AlarmState.ALARM);
  }

  @Test
  void aSampleInTheLastMillisecondOfAPeriodBelongsToThatPeriod() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.MISSING));
    alarm.record(period(0), 1);
    alarm.record(period(1).minusMillis(1), 200);
    alarm.record(period(1), 5000);

    alarm.evaluate(period(1));

    assertThat(alarm.lastDatapoints()).containsExactly(new Datapoint(period(0), 201));
  }

  @Test
  void thePeriodContainingNowIsIncompleteAndNotEvaluated() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0).plusMillis(30), 1100);

    assertThat(alarm.evaluate(period(1).minusMillis(1))).isEmpty();
    assertThat(alarm.lastDatapoints()).isEmpty();
    assertThat(alarm.evaluate(period(1))).isPresent();
  }

  @Test
  void periodsAreAlignedToMultiplesOfThePeriodSinceTheEpoch() {
    AlarmSpec fiveMinutes = AlarmSpec.seed("a", "q", Duration.ofMinutes(5));
    AlarmEvaluator alarm = new AlarmEvaluator(fiveMinutes);
    alarm.record(Instant.parse("2026-11-27T12:03:10Z"), 500);

    alarm.evaluate(Instant.parse("2026-11-27T12:06:00Z"));

    assertThat(alarm.lastDatapoints())
        .containsExactly(new Datapoint(Instant.parse("2026-11-27T12:00:00Z"), 500));
  }

  @ParameterizedTest(name = "{0} of [2, 9, 4] = {1}")
  @CsvSource({"SUM,15", "AVERAGE,5", "MAXIMUM,9", "MINIMUM,2", "SAMPLE_COUNT,3"})
  void eachPeriodIsTheStatisticOverAllItsSamples(Statistic statistic, double expected) {
    AlarmEvaluator alarm =
        new AlarmEvaluator(
            spec(
                statistic,
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                1,
                1,
                TreatMissingData.MISSING));
    alarm.record(period(0), 2);
    alarm.record(period(0).plusMillis(40), 9);
    alarm.record(period(0).plusMillis(99), 4);

    alarm.evaluate(period(1));

    assertThat(alarm.lastDatapoints()).containsExactly(new Datapoint(period(0), expected));
  }

  @ParameterizedTest(name = "{0}: a datapoint equal to the threshold -> {1}")
  @CsvSource({
    "GREATER_THAN_THRESHOLD,OK",
    "GREATER_THAN_OR_EQUAL_TO_THRESHOLD,ALARM",
    "LESS_THAN_THRESHOLD,OK",
    "LESS_THAN_OR_EQUAL_TO_THRESHOLD,ALARM"
  })
  void aDatapointAtTheThresholdAlarmsOnlyForInclusiveOperators(
      ComparisonOperator comparison, AlarmState expected) {
    AlarmEvaluator alarm =
        new AlarmEvaluator(spec(Statistic.SUM, comparison, 1, 1, TreatMissingData.MISSING));
    alarm.record(period(0), Alarms.THRESHOLD);

    alarm.evaluate(period(1));

    assertThat(alarm.state()).isEqualTo(expected);
  }

  @Test
  void twoOutOfThreeIsNotReachedByOneBreach() {
    AlarmEvaluator alarm = evaluated(spec(3, 2, TreatMissingData.MISSING), 0, 0, 500);

    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
  }

  @Test
  void twoOutOfThreeIsReachedByTwoBreaches() {
    AlarmEvaluator alarm = evaluated(spec(3, 2, TreatMissingData.MISSING), 0, 500, 500);

    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
  }

  @Test
  void twoOutOfThreeCountsNonConsecutiveBreaches() {
    AlarmEvaluator alarm = evaluated(spec(3, 2, TreatMissingData.MISSING), 500, 0, 500);

    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
  }

  @Test
  void aBreachOlderThanTheEvaluationPeriodsNoLongerCounts() {
    AlarmEvaluator alarm = evaluated(spec(3, 2, TreatMissingData.MISSING), 500, 500, 0, 0, 500);

    assertThat(alarm.state()).isEqualTo(AlarmState.OK);
    assertThat(alarm.lastTransition().orElseThrow().datapoints())
        .extracting(Datapoint::value)
        .containsExactly(0.0, 0.0, 500.0);
  }

  @Test
  void whenDataStopsAMissingDataAlarmGoesToInsufficientDataOnceTheWholeRangeIsEmpty() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);
    alarm.record(period(0), 1100);
    alarm.evaluate(period(1));

    // The range is 1 + 2 periods: the last real datapoint is still used for two more periods.
    assertThat(alarm.evaluate(period(2))).isEmpty();
    assertThat(alarm.evaluate(period(3))).isEmpty();
    Optional<AlarmTransition> t = alarm.evaluate(period(4));

    assertThat(t).map(AlarmTransition::to).contains(AlarmState.INSUFFICIENT_DATA);
    assertThat(t).map(AlarmTransition::from).contains(AlarmState.ALARM);
    assertThat(t.get().datapoints()).isEmpty();
    assertThat(alarm.lastDatapoints()).isEmpty();
  }

  @Test
  void whenDataStopsAnIgnoreAlarmKeepsItsState() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.IGNORE));
    alarm.record(period(0), 1100);
    alarm.evaluate(period(1));

    assertThat(alarm.evaluate(period(50))).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.ALARM);
  }

  @Test
  void whenDataStopsABreachingAlarmGoesToAlarm() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.BREACHING));
    alarm.record(period(0), 5);
    alarm.evaluate(period(1));

    Optional<AlarmTransition> t = alarm.evaluate(period(4));

    assertThat(t).map(AlarmTransition::from).contains(AlarmState.OK);
    assertThat(t).map(AlarmTransition::to).contains(AlarmState.ALARM);
  }

  @Test
  void whenDataStopsANotBreachingAlarmGoesToOk() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.NOT_BREACHING));
    alarm.record(period(0), 1100);
    alarm.evaluate(period(1));

    Optional<AlarmTransition> t = alarm.evaluate(period(4));

    assertThat(t).map(AlarmTransition::to).contains(AlarmState.OK);
  }

  @Test
  void aNotBreachingAlarmWithNoDataAtAllLeavesInsufficientDataForOk() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(1, 1, TreatMissingData.NOT_BREACHING));

    assertThat(alarm.evaluate(period(1))).map(AlarmTransition::to).contains(AlarmState.OK);
  }

  @Test
  void aDynamoDbAlarmIgnoresMissingDataWhateverItsSetting() {
    AlarmSpec dynamo =
        new AlarmSpec(
            "throttles",
            "ThrottledRequests",
            "AWS/DynamoDB",
            Map.of("TableName", "fasttracksaa"),
            Statistic.SUM,
            Alarms.PERIOD,
            ComparisonOperator.GREATER_THAN_THRESHOLD,
            0,
            1,
            1,
            TreatMissingData.BREACHING);
    AlarmEvaluator alarm = new AlarmEvaluator(dynamo);

    assertThat(alarm.evaluate(period(5))).isEmpty();
    assertThat(alarm.state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
  }

  @Test
  void lastDatapointsListTheRangesRealDatapointsOldestFirst() {
    AlarmEvaluator alarm = new AlarmEvaluator(spec(2, 1, TreatMissingData.MISSING));
    alarm.record(period(0), 7); // outside the range of 4 periods evaluated at period 5
    alarm.record(period(1), 1);
    alarm.record(period(3), 3);
    alarm.record(period(4), 4);

    alarm.evaluate(period(5));

    assertThat(alarm.lastDatapoints())
        .containsExactly(
            new Datapoint(period(1), 1), new Datapoint(period(3), 3), new Datapoint(period(4), 4));
  }

  @Test
  void aSampleMustBeAFiniteNumber() {
    AlarmEvaluator alarm = new AlarmEvaluator(ONE_OF_ONE);

    assertThatThrownBy(() -> alarm.record(period(0), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> alarm.record(period(0), Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An alarm fed one sample per period, oldest first from period 0, evaluated after the last. */
  private static AlarmEvaluator evaluated(AlarmSpec spec, double... values) {
    AlarmEvaluator alarm = new AlarmEvaluator(spec);
    for (int k = 0; k < values.length; k++) {
      alarm.record(period(k), values[k]);
    }
    alarm.evaluate(period(values.length));
    return alarm;
  }
}
