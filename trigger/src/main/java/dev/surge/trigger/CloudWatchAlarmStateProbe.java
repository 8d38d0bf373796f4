package dev.surge.trigger;

import dev.surge.core.ConfigException;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.AlarmStateProbe;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

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
    return AlarmSnapshot.read(
            cloudWatch,
            alarmName,
            "deploy the stack ('./surge deploy') or name the alarm with SURGE_ALARM")
        .state();
  }
}
