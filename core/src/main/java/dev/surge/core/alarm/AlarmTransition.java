package dev.surge.core.alarm;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change of an alarm's state: what an alarm action (the SNS notification) reports.
 *
 * @param alarmName the alarm's name
 * @param from the state before
 * @param to the state after; never equal to {@code from}
 * @param reason CloudWatch's {@code NewStateReason} text, e.g. {@code Threshold Crossed: 1 out of
 *     the last 1 datapoints [1100.0 (27/11/26 21:50:00)] was greater than the threshold (100.0)
 *     (minimum 1 datapoint for OK -> ALARM transition).}
 * @param at when the evaluation that changed the state ran
 * @param datapoints the real datapoints the evaluation used, oldest first (missing ones have no
 *     value and are not listed)
 * @param reasonData CloudWatch's {@code NewStateReasonData} JSON document
 */
public record AlarmTransition(
    String alarmName,
    AlarmState from,
    AlarmState to,
    String reason,
    Instant at,
    List<Datapoint> datapoints,
    String reasonData) {

  /** Everything is required; a transition changes the state; the datapoints are copied. */
  public AlarmTransition {
    Objects.requireNonNull(alarmName, "alarmName");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reasonData, "reasonData");
    datapoints = List.copyOf(datapoints);
    if (from == to) {
      throw new IllegalArgumentException("a transition must change the state, stayed " + to);
    }
  }
}
