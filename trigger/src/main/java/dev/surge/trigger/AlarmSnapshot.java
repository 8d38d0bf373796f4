package dev.surge.trigger;

import dev.surge.core.ConfigException;
import dev.surge.core.alarm.AlarmState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * A CloudWatch metric alarm as {@code DescribeAlarms} reports it.
 *
 * @param name the alarm's name
 * @param state its state
 * @param reason CloudWatch's {@code StateReason} ({@code ""} when it gives none)
 * @param threshold its threshold ({@code NaN} when it has none, e.g. a metric-math alarm)
 * @param since when the state last changed ({@code StateTransitionedTimestamp}), if reported
 */
public record AlarmSnapshot(
    String name, AlarmState state, String reason, double threshold, Optional<Instant> since) {

  /** Requires every field. */
  public AlarmSnapshot {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(since, "since");
  }

  /**
   * Reads the metric alarm {@code alarmName} with one {@code DescribeAlarms} call: the one place
   * Surge reads an alarm, for the function's decisions and for the watchers alike.
   *
   * @param whatToDo what to do when the alarm does not exist, said after "alarm 'NAME' does not
   *     exist; "
   * @throws ConfigException when no metric alarm has that name (SDK errors pass through)
   */
  public static AlarmSnapshot read(CloudWatchClient cloudWatch, String alarmName, String whatToDo) {
    List<MetricAlarm> alarms =
        cloudWatch
            .describeAlarms(b -> b.alarmNames(alarmName).alarmTypes(AlarmType.METRIC_ALARM))
            .metricAlarms();
    if (alarms.isEmpty()) {
      throw new ConfigException("alarm '" + alarmName + "' does not exist; " + whatToDo);
    }
    MetricAlarm a = alarms.get(0);
    return new AlarmSnapshot(
        alarmName,
        state(a.stateValue()),
        Objects.toString(a.stateReason(), ""),
        a.threshold() == null ? Double.NaN : a.threshold(),
        Optional.ofNullable(a.stateTransitionedTimestamp())
            .or(() -> Optional.ofNullable(a.stateUpdatedTimestamp())));
  }

  private static AlarmState state(StateValue v) {
    if (v == null || v == StateValue.UNKNOWN_TO_SDK_VERSION) {
      // A state this SDK does not know is not ALARM, for acting or for showing.
      return AlarmState.INSUFFICIENT_DATA;
    }
    return AlarmState.valueOf(v.toString());
  }
}
