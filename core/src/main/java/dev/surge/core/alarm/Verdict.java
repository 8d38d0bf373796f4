package dev.surge.core.alarm;

import java.util.List;
import java.util.Optional;

/**
 * What one evaluation concluded.
 *
 * @param next the state the alarm should be in; empty when it keeps its current state ({@link
 *     TreatMissingData#IGNORE} with data that cannot decide)
 * @param evaluated the real datapoints that were evaluated, newest first
 * @param missing how many of the {@code evaluationPeriods} datapoints were missing and, for {@link
 *     TreatMissingData#BREACHING} and {@link TreatMissingData#NOT_BREACHING}, filled in
 */
record Verdict(Optional<AlarmState> next, List<RangePoint> evaluated, int missing) {

  Verdict {
    evaluated = List.copyOf(evaluated);
  }

  static Verdict decided(AlarmState state, List<RangePoint> evaluated, int missing) {
    return new Verdict(Optional.of(state), evaluated, missing);
  }

  static Verdict retain(List<RangePoint> evaluated, int missing) {
    return new Verdict(Optional.empty(), evaluated, missing);
  }
}
