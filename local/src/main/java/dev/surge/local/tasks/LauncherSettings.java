package dev.surge.local.tasks;

import dev.surge.aws.AwsTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link ProcessTaskLauncher} gives its tasks, and its limits.
 *
 * @param target the endpoints, region and credentials the workers use
 * @param queue the queue the workers drain (name or URL)
 * @param table the table they write
 * @param maxTasks tasks alive at once at most
 * @param tuning worker settings passed on
 * @param extraEnvironment further variables for every worker (e.g. {@code SURGE_LOG_LEVEL})
 * @param logDirectory where each task's output goes, as {@code <task id>.log}
 * @param stopTimeout how long a stopping task gets between SIGTERM and SIGKILL
 */
public record LauncherSettings(
    AwsTarget target,
    String queue,
    String table,
    int maxTasks,
    WorkerTuning tuning,
    Map<String, String> extraEnvironment,
    Path logDirectory,
    Duration stopTimeout) {

  /** ECS's default stop timeout: SIGKILL 30 s after SIGTERM. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Variables that the launcher sets for each task itself. */
  static final Set<String> RESERVED =
      Set.of(TaskEnvironment.TASK_ID, TaskEnvironment.HOST, TaskEnvironment.STOP_ON_STDIN_EOF);

  /** Requires every part; at least one task; no reserved variable in the extra environment. */
  public LauncherSettings {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(tuning, "tuning");
    Objects.requireNonNull(logDirectory, "logDirectory");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    extraEnvironment = Map.copyOf(extraEnvironment);
    if (queue.isBlank() || table.isBlank()) {
      throw new IllegalArgumentException("queue and table must not be blank");
    }
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks must be >= 1, was " + maxTasks);
    }
    if (stopTimeout.isNegative()) {
      throw new IllegalArgumentException("stopTimeout must not be negative");
    }
    for (String name : extraEnvironment.keySet()) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(name + " is set by the launcher for each task");
      }
    }
  }

  /** Settings with the workers' default tuning and ECS's 30 s stop timeout. */
  public static LauncherSettings of(
      AwsTarget target, String queue, String table, int maxTasks, Path logDirectory) {
    return new LauncherSettings(
        target,
        queue,
        table,
        maxTasks,
        WorkerTuning.defaults(),
        Map.of(),
        logDirectory,
        DEFAULT_STOP_TIMEOUT);
  }

  /** A copy with other worker tuning. */
  public LauncherSettings withTuning(WorkerTuning value) {
    return new LauncherSettings(
        target, queue, table, maxTasks, value, extraEnvironment, logDirectory, stopTimeout);
  }

  /** A copy with other extra variables. */
  public LauncherSettings withExtraEnvironment(Map<String, String> value) {
    return new LauncherSettings(
        target, queue, table, maxTasks, tuning, value, logDirectory, stopTimeout);
  }

  /** A copy with another stop timeout. */
  public LauncherSettings withStopTimeout(Duration value) {
    return new LauncherSettings(
        target, queue, table, maxTasks, tuning, extraEnvironment, logDirectory, value);
  }
}
