package dev.surge.chaos;

import java.time.Duration;
import java.util.Objects;

/**
 * What a chaos run does.
 *
 * @param messages messages to produce, poison included
 * @param poisonPercent share of poison messages, percent
 * @param maxTasks at most this many tasks at once
 * @param visibility the queue's visibility timeout: how long a killed worker's messages stay hidden
 * @param alarmPeriod the alarm's and the reconciler's period
 * @param timeout how long the run may take before it gives up
 */
public record ChaosSettings(
    long messages,
    double poisonPercent,
    int maxTasks,
    Duration visibility,
    Duration alarmPeriod,
    Duration timeout) {
  /** Requires the durations. */
  public ChaosSettings {
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(alarmPeriod, "alarmPeriod");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Poison messages among {@link #messages()}. */
  public long poison() {
    return Math.round(messages * poisonPercent / 100.0);
  }

  /** Good messages: the others. */
  public long good() {
    return messages - poison();
  }
}
