package dev.surge.trigger;

import dev.surge.core.ConfigException;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.AlarmStateProbe;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** Reads a CloudWatch metric alarm's state with one {@code DescribeAlarms} call. */
public final class CloudWatchAlarmStateProbe implements AlarmStateProbe {
  private final CloudWatchClient cloudWatch;
  private final String alarmName;

  /** Probes the metric alarm named {@code alarmName}. */
  public CloudWatchAlarmStateProbe(CloudWatchClient cloudWatch, String alarmName) {
    this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
    this.alarmName = Objects.requireNonNull(alarmName, "alarmName");
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigException when no metric alarm has that name (SDK errors pass through)
   */
  @Override
  public AlarmState state() {
    List<MetricAlarm> alarms =
        cloudWatch
            .describeAlarms(b -> b.alarmNames(alarmName).alarmTypes(AlarmType.METRIC_ALARM))
            .metricAlarms();
    if (alarms.isEmpty()) {
      throw new ConfigException(
          "alarm '"
              + alarmName
              + "' does not exist; deploy the stack ('./surge deploy') or name the alarm with"
              + " SURGE_ALARM");
    }
    StateValue state = alarms.get(0).stateValue();
    if (state == null || state == StateValue.UNKNOWN_TO_SDK_VERSION) {
      // A state this SDK does not know is not ALARM as far as acting goes.
      return AlarmState.INSUFFICIENT_DATA;
    }
    return AlarmState.valueOf(state.toString());
  }
}
