package dev.surge.core.port;

import dev.surge.core.alarm.AlarmState;

/**
 * Reads an alarm's current state, for the reconciler: it tops the fleet up while the alarm is in
 * ALARM. Adapters: the local alarm itself, and {@code CloudWatchAlarmStateProbe} ({@code
 * DescribeAlarms}).
 */
public interface AlarmStateProbe {

  /** The alarm's state now. */
  AlarmState state();
}
