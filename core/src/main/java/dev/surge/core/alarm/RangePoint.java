package dev.surge.core.alarm;

import java.time.Instant;

/**
 * A real (not missing) datapoint of the evaluation range.
 *
 * @param age how many periods back its period is: 1 is the newest complete period
 * @param timestamp its period's start
 * @param value the statistic over its samples
 * @param sampleCount how many samples it aggregates
 * @param breaching whether the value breaches the threshold
 */
record RangePoint(int age, Instant timestamp, double value, long sampleCount, boolean breaching) {

  /** The public view of this datapoint. */
  Datapoint datapoint() {
    return new Datapoint(timestamp, value);
  }
}
