package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reason texts and reason data, compared with the wording CloudWatch puts in real notifications
 * (one-minute periods, so the times read like CloudWatch's).
 */
class StateReasonTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final ObjectMapper json = new ObjectMapper();

  private static Instant at(String hhmmss) {
    return Instant.parse("2026-11-27T" + hhmmss + "Z");
  }

  private static AlarmSpec spec(
      ComparisonOperator comparison, int n, int m, TreatMissingData treatment) {
    return new AlarmSpec(
        "fasttrack-saa",
        "ApproximateNumberOfMessagesVisible",
        "AWS/SQS",
        Map.of("QueueName", "demo-decoupling-saa"),
        Statistic.SUM,
        MINUTE,
        comparison,
        100,
        n,
        m,
        treatment);
  }

  private static AlarmSpec greaterThan(int n, int m, TreatMissingData treatment) {
    return spec(ComparisonOperator.GREATER_THAN_THRESHOLD, n, m, treatment);
  }

  private static AlarmEvaluator seedAlarm() {
    return new AlarmEvaluator(AlarmSpec.seed("fasttrack-saa", "demo-decoupling-saa", MINUTE));
  }

  @Test
  void theSeedsAlarmReasonReadsLikeCloudWatchs() {
    AlarmEvaluator alarm = seedAlarm();
    alarm.record(at("21:50:10"), 1100);

    AlarmTransition t = alarm.evaluate(at("21:51:00.250")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 1 out of the last 1 datapoints [1100.0 (27/11/26 21:50:00)] was"
                + " greater than the threshold (100.0) (minimum 1 datapoint for OK -> ALARM"
                + " transition).");
  }

  @Test
  void theSeedsAlarmReasonDataIsCloudWatchsDocument() {
    AlarmEvaluator alarm = seedAlarm();
    alarm.record(at("21:50:10"), 1100);

    AlarmTransition t = alarm.evaluate(at("21:51:00.250")).orElseThrow();

    assertThat(t.reasonData())
        .isEqualTo(
            "{\"version\":\"1.0\",\"queryDate\":\"2026-11-27T21:51:00.250+0000\","
                + "\"startDate\":\"2026-11-27T21:50:00.000+0000\",\"statistic\":\"Sum\","
                + "\"period\":60,\"recentDatapoints\":[1100.0],\"threshold\":100.0,"
                + "\"evaluatedDatapoints\":[{\"timestamp\":\"2026-11-27T21:50:00.000+0000\","
                + "\"sampleCount\":1.0,\"value\":1100.0}]}");
  }

  @Test
  void backUnderTheThresholdTheReasonSaysNotGreaterForTheAlarmToOkTransition() {
    AlarmEvaluator alarm = seedAlarm();
    alarm.record(at("21:50:10"), 1100);
    alarm.evaluate(at("21:51:00"));
    alarm.record(at("21:51:10"), 0);

    AlarmTransition t = alarm.evaluate(at("21:52:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (27/11/26 21:51:00)] was not"
                + " greater than the threshold (100.0) (minimum 1 datapoint for ALARM -> OK"
                + " transition).");
  }

  @Test
  void anMOutOfNReasonListsTheBreachingDatapointsNewestFirst() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 2, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 200);
    alarm.record(at("21:51:00"), 50);
    alarm.record(at("21:52:00"), 300);

    AlarmTransition t = alarm.evaluate(at("21:53:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 2 out of the last 3 datapoints [300.0 (27/11/26 21:52:00), 200.0"
                + " (27/11/26 21:50:00)] were greater than the threshold (100.0) (minimum 2"
                + " datapoints for OK -> ALARM transition).");
  }

  @Test
  void anMOutOfNOkReasonListsTheDatapointsWithinTheThresholdAndTheMinimumToLeaveAlarm() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 2, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 200);
    alarm.record(at("21:51:00"), 300);
    alarm.record(at("21:52:00"), 20);
    alarm.evaluate(at("21:53:00"));
    alarm.record(at("21:53:00"), 10);

    AlarmTransition t = alarm.evaluate(at("21:54:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 2 out of the last 3 datapoints [10.0 (27/11/26 21:53:00), 20.0"
                + " (27/11/26 21:52:00)] were not greater than the threshold (100.0) (minimum 2"
                + " datapoints for ALARM -> OK transition).");
  }

  @Test
  void theReasonUsesTheOperatorsPhrase() {
    AlarmEvaluator alarm =
        new AlarmEvaluator(
            spec(
                ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 100);

    AlarmTransition t = alarm.evaluate(at("21:51:00")).orElseThrow();

    assertThat(t.reason()).contains("was less than or equal to the threshold (100.0)");
  }

  @Test
  void insufficientDataSaysHowManyDatapointsWereUnknown() {
    AlarmEvaluator alarm = seedAlarm();
    alarm.record(at("21:50:00"), 1100);
    alarm.evaluate(at("21:51:00"));

    // The range is three periods: 21:51, 21:52 and 21:53 are all missing.
    AlarmTransition t = alarm.evaluate(at("21:54:00")).orElseThrow();

    assertThat(t.reason()).isEqualTo("Insufficient Data: 1 datapoint was unknown.");
  }

  @Test
  void insufficientDataCountsEveryUnknownEvaluatedDatapoint() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 3, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 0);
    alarm.record(at("21:51:00"), 0);
    alarm.record(at("21:52:00"), 0);
    alarm.evaluate(at("21:53:00"));

    AlarmTransition t = alarm.evaluate(at("21:58:00")).orElseThrow();

    assertThat(t.reason()).isEqualTo("Insufficient Data: 3 datapoints were unknown.");
  }

  @Test
  void noDataTreatedAsNotBreachingSaysSo() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(1, 1, TreatMissingData.NOT_BREACHING));

    AlarmTransition t = alarm.evaluate(at("21:51:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint"
                + " was treated as [NonBreaching].");
  }

  @Test
  void withoutDatapointsTheReasonDataHasNoStartDateAndNoEvaluatedDatapoints() throws Exception {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(2, 2, TreatMissingData.BREACHING));

    AlarmTransition t = alarm.evaluate(at("21:51:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints"
                + " were treated as [Breaching].");
    assertThat(t.reasonData())
        .isEqualTo(
            "{\"version\":\"1.0\",\"queryDate\":\"2026-11-27T21:51:00.000+0000\","
                + "\"statistic\":\"Sum\",\"period\":60,\"recentDatapoints\":[],"
                + "\"threshold\":100.0}");
  }

  @Test
  void filledInDatapointsAreNamedAfterTheRealOnes() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 3, TreatMissingData.BREACHING));
    alarm.record(at("21:52:00"), 500);

    AlarmTransition t = alarm.evaluate(at("21:53:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 1 out of the last 3 datapoints [500.0 (27/11/26 21:52:00)] was"
                + " greater than the threshold (100.0) and 2 missing datapoints were treated as"
                + " [Breaching] (minimum 3 datapoints for OK -> ALARM transition).");
  }

  @Test
  void whenOnlyFilledInDatapointsBreachTheReasonCountsWhatWasReceived() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 2, TreatMissingData.BREACHING));
    alarm.record(at("21:52:00"), 0);

    AlarmTransition t = alarm.evaluate(at("21:53:00")).orElseThrow();

    assertThat(t.to()).isEqualTo(AlarmState.ALARM);
    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 1 datapoint was received for 3 periods and 2 missing datapoints"
                + " were treated as [Breaching].");
  }

  @Test
  void aLoneBreachOldEnoughAlarmsWithMissingDataAndSaysWhatIsMissing() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 3, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 500);

    AlarmTransition t = alarm.evaluate(at("21:53:00")).orElseThrow();

    assertThat(t.reason())
        .isEqualTo(
            "Threshold Crossed: 1 out of the last 3 datapoints [500.0 (27/11/26 21:50:00)] was"
                + " greater than the threshold (100.0) (minimum 3 datapoints for OK -> ALARM"
                + " transition).");
  }

  @Test
  void reasonDataListsRecentDatapointsOldestFirstAndEvaluatedDatapointsNewestFirst()
      throws Exception {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(3, 2, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 200);
    alarm.record(at("21:51:00"), 50);
    alarm.record(at("21:51:30"), 25);
    alarm.record(at("21:52:00"), 300);

    JsonNode data = json.readTree(alarm.evaluate(at("21:53:00")).orElseThrow().reasonData());

    assertThat(data.fieldNames())
        .toIterable()
        .containsExactly(
            "version",
            "queryDate",
            "startDate",
            "statistic",
            "period",
            "recentDatapoints",
            "threshold",
            "evaluatedDatapoints");
    assertThat(data.get("startDate").asText()).isEqualTo("2026-11-27T21:50:00.000+0000");
    assertThat(data.get("recentDatapoints"))
        .extracting(JsonNode::asDouble)
        .containsExactly(200.0, 75.0, 300.0);
    assertThat(data.get("evaluatedDatapoints"))
        .extracting(p -> p.get("timestamp").asText())
        .containsExactly(
            "2026-11-27T21:52:00.000+0000",
            "2026-11-27T21:51:00.000+0000",
            "2026-11-27T21:50:00.000+0000");
    assertThat(data.get("evaluatedDatapoints").get(1).get("sampleCount").asDouble()).isEqualTo(2.0);
  }

  @Test
  void aSubSecondTestPeriodIsWrittenInFractionalSeconds() throws Exception {
    AlarmEvaluator alarm = new AlarmEvaluator(Alarms.spec(1, 1, TreatMissingData.MISSING));
    alarm.record(Alarms.period(0), 500);

    AlarmTransition t = alarm.evaluate(Alarms.period(1)).orElseThrow();

    assertThat(json.readTree(t.reasonData()).get("period").asDouble()).isEqualTo(0.1);
  }

  @Test
  void theTransitionCarriesTheEvaluatedDatapointsOldestFirst() {
    AlarmEvaluator alarm = new AlarmEvaluator(greaterThan(2, 2, TreatMissingData.MISSING));
    alarm.record(at("21:50:00"), 200);
    alarm.record(at("21:51:00"), 300);

    AlarmTransition t = alarm.evaluate(at("21:52:00")).orElseThrow();

    assertThat(t.datapoints())
        .isEqualTo(List.of(new Datapoint(at("21:50:00"), 200), new Datapoint(at("21:51:00"), 300)));
  }
}
