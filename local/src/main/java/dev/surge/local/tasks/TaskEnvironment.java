package dev.surge.local.tasks;

import dev.surge.core.worker.WorkerSettings;
import dev.surge.worker.TaskIdentities;
import dev.surge.worker.WorkerMain;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** The environment of one task: what ECS would take from the task definition and overrides. */
final class TaskEnvironment {
  static final String TASK_ID = TaskIdentities.TASK_ID;
  static final String HOST = TaskIdentities.HOST;
  static final String STOP_ON_STDIN_EOF = WorkerMain.STOP_ON_STDIN_EOF;

  private TaskEnvironment() {}

  /** The variables set for task {@code taskId}. */
  static Map<String, String> of(LauncherSettings s, String taskId) {
    Map<String, String> env = common(s);
    env.put(TASK_ID, taskId);
    // Locally the task id is the host name written into items, as a Fargate task's host name.
    env.put(HOST, taskId);
    return env;
  }

  /** The variables every task gets, whichever it is (sorted by name). */
  static Map<String, String> common(LauncherSettings s) {
    Map<String, String> env = new TreeMap<>(s.extraEnvironment());
    env.putAll(s.target().toEnvironment());
    env.put(WorkerSettings.QUEUE, s.queue());
    env.put(WorkerSettings.TABLE, s.table());
    s.tuning()
        .concurrency()
        .ifPresent(c -> env.put(WorkerSettings.CONCURRENCY, Integer.toString(c)));
    s.tuning().pollWait().ifPresent(w -> env.put(WorkerSettings.POLL_WAIT, seconds(w)));
    s.tuning().idleWindow().ifPresent(w -> env.put(WorkerSettings.IDLE, seconds(w)));
    // The worker stops when its stdin closes: the launcher holds the other end, so workers never
    // outlive it, even when its JVM is killed and no shutdown hook runs.
    env.put(STOP_ON_STDIN_EOF, "true");
    return env;
  }

  /**
   * Whether an inherited variable must not reach a task: the launcher's own {@code SURGE_*} and
   * {@code AWS_*} settings would otherwise override or mix with the task's, where an ECS task sees
   * only its task definition's.
   */
  static boolean isInheritedSetting(String name) {
    return name.startsWith("SURGE_") || name.startsWith("AWS_");
  }

  /** Seconds as the worker reads them: a decimal with at most millisecond precision. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }
}
