package dev.surge.core.alarm;

/** The three states of a CloudWatch alarm, spelled as CloudWatch spells them. */
public enum AlarmState {
  /** The metric is within the threshold. */
  OK,
  /** The metric breached the threshold for enough datapoints. */
  ALARM,
  /** Not enough data to decide (the initial state). */
  INSUFFICIENT_DATA
}
