package dev.surge.core.alarm;

import static dev.surge.core.alarm.Alarms.period;
import static dev.surge.core.alarm.Alarms.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example tables of CloudWatch's "How alarm state is evaluated when data is missing", row by
 * row: 3 evaluation periods, an evaluation range of 5, the most recent datapoint on the right; 0 is
 * a datapoint within the threshold, X a breaching one, - a missing one. Every row is played from
 * each possible earlier state, so "retain current state" is checked for all three.
 */
class CloudWatchMissingDataExamplesTest {
  private static final String RETAIN = "retain";

  /** Pattern, datapoints to alarm, then the state for missing, ignore, breaching, notBreaching. */
  private static final String[][] TABLES = {
    // Datapoints to Alarm 3 of 3.
    {"0 - X - X", "3", "OK", "OK", "OK", "OK"},
    {"0 - - - -", "3", "OK", "OK", "OK", "OK"},
    {"- - - - -", "3", "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"},
    {"0 X X - X", "3", "ALARM", "ALARM", "ALARM", "ALARM"},
    {"- - X - -", "3", "ALARM", RETAIN, "ALARM", "OK"},
    // The earlier edition's last row: one fresh breach is not enough yet.
    {"- - - - X", "3", "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"},
    // Datapoints to Alarm 2 of 3.
    {"0 - X - X", "2", "ALARM", "ALARM", "ALARM", "ALARM"},
    {"0 0 X 0 X", "2", "ALARM", "ALARM", "ALARM", "ALARM"},
    {"0 - X - -", "2", "OK", "OK", "ALARM", "OK"},
    {"- - - - 0", "2", "OK", "OK", "ALARM", "OK"},
    {"- - - X -", "2", "ALARM", RETAIN, "ALARM", "OK"},
    {"- - - - X", "2", "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"},
  };

  private static final TreatMissingData[] COLUMNS = {
    TreatMissingData.MISSING,
    TreatMissingData.IGNORE,
    TreatMissingData.BREACHING,
    TreatMissingData.NOT_BREACHING
  };

  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    for (String[] row : TABLES) {
      for (int c = 0; c < COLUMNS.length; c++) {
        rows.add(Arguments.of(row[0], Integer.parseInt(row[1]), COLUMNS[c], row[2 + c]));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "[{0}] {1} of 3, {2} -> {3}")
  @MethodSource("rows")
  void theDocumentedStateIsReachedFromEveryEarlierState(
      String pattern, int datapointsToAlarm, TreatMissingData treatment, String expected) {
    for (AlarmState before : AlarmState.values()) {
      AlarmEvaluator alarm = new AlarmEvaluator(spec(3, datapointsToAlarm, treatment));
      bringTo(alarm, before);

      play(alarm, pattern);

      AlarmState want = expected.equals(RETAIN) ? before : AlarmState.valueOf(expected);
      assertThat(alarm.state()).as("from %s", before).isEqualTo(want);
    }
  }

  /** Three real datapoints in periods 0..2 decide any 3-period alarm, whatever its treatment. */
  private static void bringTo(AlarmEvaluator alarm, AlarmState state) {
    if (state == AlarmState.INSUFFICIENT_DATA) {
      return;
    }
    double value = state == AlarmState.ALARM ? 500 : 0;
    for (int k = 0; k < 3; k++) {
      alarm.record(period(k), value);
    }
    alarm.evaluate(period(3));
    assertThat(alarm.state()).isEqualTo(state);
  }

  /** Plays the five datapoints in periods 10..14 and evaluates at 15: they are the whole range. */
  private static void play(AlarmEvaluator alarm, String pattern) {
    String[] points = pattern.split(" ");
    assertThat(points).hasSize(alarm.spec().evaluationRange());
    for (int i = 0; i < points.length; i++) {
      switch (points[i]) {
        case "X" -> alarm.record(period(10 + i), 500);
        case "0" -> alarm.record(period(10 + i), 0);
        case "-" -> {}
        default -> throw new IllegalArgumentException(pattern);
      }
    }
    alarm.evaluate(period(15));
  }
}
