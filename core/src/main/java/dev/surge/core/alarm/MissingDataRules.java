package dev.surge.core.alarm;

import java.util.List;

/**
 * CloudWatch's documented decision ("How alarm state is evaluated when data is missing"), given the
 * real datapoints of the evaluation range. With {@code N} evaluation periods and {@code M}
 * datapoints to alarm:
 *
 * <ol>
 *   <li>At least {@code N} real datapoints: the newest {@code N} are evaluated and the treatment of
 *       missing data is not consulted. ALARM if at least {@code M} breach, else OK.
 *   <li>Fewer: every real datapoint is evaluated and the shortfall is filled, as few times as
 *       possible, by the treatment. {@code breaching} counts the fills as breaching, {@code
 *       notBreaching} as not breaching; ALARM if at least {@code M} breach, else OK.
 *   <li>For {@code missing} and {@code ignore} the fills count for nothing. ALARM if at least
 *       {@code M} real datapoints breach. Otherwise, for {@code missing} only, ALARM also when
 *       every real datapoint breaches and the oldest is at least {@code M} periods old:
 *       CloudWatch's rule for "avoiding premature transitions to alarm state", under which one
 *       fresh breach among missing data does not alarm yet, but a breach followed only by missing
 *       data does once it is {@code M} periods old. OK when some real datapoint does not breach.
 *       Otherwise nothing can be decided: INSUFFICIENT_DATA for {@code missing} (always so when
 *       every datapoint is missing), the current state for {@code ignore}.
 * </ol>
 *
 * <p>These rules reproduce every row of the example tables in CloudWatch's documentation. Its prose
 * is ambiguous in two places, and the rules follow the tables: the early alarm compares the oldest
 * breach's age with {@code M} (one paragraph says Evaluation Periods, but the 2-out-of-3 row {@code
 * - - - X -} alarms), and a real datapoint within the threshold anywhere among the evaluated ones
 * prevents it (the 2-out-of-3 row {@code 0 - X - -} stays OK).
 */
final class MissingDataRules {
  private MissingDataRules() {}

  /**
   * Decides the state.
   *
   * @param real the real datapoints of the evaluation range, newest first
   */
  static Verdict decide(int n, int m, TreatMissingData treatment, List<RangePoint> real) {
    if (real.size() >= n) {
      List<RangePoint> evaluated = real.subList(0, n);
      return Verdict.decided(
          breaching(evaluated) >= m ? AlarmState.ALARM : AlarmState.OK, evaluated, 0);
    }
    int missing = n - real.size();
    long breaching = breaching(real);
    return switch (treatment) {
      case BREACHING ->
          Verdict.decided(
              breaching + missing >= m ? AlarmState.ALARM : AlarmState.OK, real, missing);
      case NOT_BREACHING ->
          Verdict.decided(breaching >= m ? AlarmState.ALARM : AlarmState.OK, real, missing);
      case MISSING, IGNORE -> decideFromRealOnly(m, treatment, real, missing, breaching);
    };
  }

  private static Verdict decideFromRealOnly(
      int m, TreatMissingData treatment, List<RangePoint> real, int missing, long breaching) {
    boolean decides = treatment == TreatMissingData.MISSING;
    if (breaching >= m) {
      return Verdict.decided(AlarmState.ALARM, real, missing);
    }
    boolean allBreach = !real.isEmpty() && breaching == real.size();
    if (allBreach && real.get(real.size() - 1).age() >= m) {
      return decides
          ? Verdict.decided(AlarmState.ALARM, real, missing)
          : Verdict.retain(real, missing);
    }
    if (breaching < real.size()) {
      return Verdict.decided(AlarmState.OK, real, missing);
    }
    return decides
        ? Verdict.decided(AlarmState.INSUFFICIENT_DATA, real, missing)
        : Verdict.retain(real, missing);
  }

  private static long breaching(List<RangePoint> points) {
    return points.stream().filter(RangePoint::breaching).count();
  }
}
