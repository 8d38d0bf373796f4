package dev.surge.core.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Alarm definitions and instants for the alarm tests: 100 ms periods, so no test waits. */
final class Alarms {
  static final Duration PERIOD = Duration.ofMillis(100);
  static final double THRESHOLD = 100.0;

  /** A period boundary (a multiple of every period the tests use). */
  static final Instant T0 = Instant.parse("2026-11-27T21:50:00Z");

  private Alarms() {}

  /** A {@code Sum > 100} alarm, {@code m} out of {@code n}, with 100 ms periods. */
  static AlarmSpec spec(int n, int m, TreatMissingData treatment) {
    return spec(Statistic.SUM, ComparisonOperator.GREATER_THAN_THRESHOLD, n, m, treatment);
  }

  static AlarmSpec spec(
      Statistic statistic,
      ComparisonOperator comparison,
      int n,
      int m,
      TreatMissingData treatment) {
    return new AlarmSpec(
        "backlog",
        "ApproximateNumberOfMessagesVisible",
        "AWS/SQS",
        Map.of("QueueName", "demo-decoupling-saa"),
        statistic,
        PERIOD,
        comparison,
        THRESHOLD,
        n,
        m,
        treatment);
  }

  /** The start of period {@code k} after {@link #T0}. */
  static Instant period(int k) {
    return T0.plus(PERIOD.multipliedBy(k));
  }
}
