package dev.surge.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How often {@link AwsPipelineWatcher} polls each source.
 *
 * @param queue queue and dead-letter counters ({@code GetQueueAttributes} x2); the table's item
 *     count is re-read in the same loop at most a fifth of the time (a {@code Scan} COUNT)
 * @param alarm the alarm ({@code DescribeAlarms})
 * @param tasks the tasks ({@code ListTasks} x2 and {@code DescribeTasks}; {@code FilterLogEvents}
 *     on the workers' log group when tasks stopped)
 * @param trigger the trigger function's decisions ({@code FilterLogEvents} on its log group)
 */
public record WatchPeriods(Duration queue, Duration alarm, Duration tasks, Duration trigger) {

  /** Requires positive periods. */
  public WatchPeriods {
    requirePositive(queue, "queue");
    requirePositive(alarm, "alarm");
    requirePositive(tasks, "tasks");
    requirePositive(trigger, "trigger");
  }

  /**
   * Queue every 2 s (as the local monitor), alarm, tasks and trigger every 5 s: an alarm period is
   * 60 s and a Fargate task takes tens of seconds to start, so 5 s shows every step without
   * hammering the control-plane APIs (FilterLogEvents allows a few calls per second per account).
   */
  public static WatchPeriods defaults() {
    Duration five = Duration.ofSeconds(5);
    return new WatchPeriods(Duration.ofSeconds(2), five, five, five);
  }

  /** The same period for every loop (tests). */
  public static WatchPeriods every(Duration period) {
    return new WatchPeriods(period, period, period, period);
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " period must be > 0, was " + d);
    }
  }
}
