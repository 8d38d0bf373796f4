package dev.surge.trigger;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Holds launches back while tasks cannot run at all: when the latest {@value #THRESHOLD} or more
 * tasks to stop all exited 2 (the worker's "bad configuration": a missing queue or table, a bad
 * setting) or never started their container (an image that cannot be pulled or started), starting
 * more would only repeat the failure every period. The hold lasts {@link #BASE} after the last such
 * stop, doubling with each further one up to {@link #CAP}; then one more launch is let through.
 * Workers that exit 1 (a failure that may pass) are not held back.
 */
final class CrashLoop {
  /** Consecutive unstartable tasks that start a hold. */
  static final int THRESHOLD = 3;

  /** The first hold. */
  static final Duration BASE = Duration.ofMinutes(1);

  /** The longest hold. */
  static final Duration CAP = Duration.ofMinutes(15);

  /** ECS's stop reasons for a container that never ran. */
  private static final Pattern NEVER_STARTED =
      Pattern.compile("CannotPullContainer|CannotStartContainer|ResourceInitializationError");

  private CrashLoop() {}

  /**
   * Why launching should wait, if it should.
   *
   * @param tasks the launcher's tasks, stopped ones included
   * @param now the decision's time
   */
  static Optional<Hold> check(List<TaskView> tasks, Instant now) {
    List<TaskView> stopped =
        tasks.stream()
            .filter(t -> t.state() == TaskState.STOPPED && t.stoppedAt().isPresent())
            .sorted(Comparator.comparing((TaskView t) -> t.stoppedAt().get()).reversed())
            .toList();
    int unstartable = 0;
    for (TaskView t : stopped) {
      if (!unstartable(t)) {
        break;
      }
      unstartable++;
    }
    if (unstartable < THRESHOLD) {
      return Optional.empty();
    }
    TaskView last = stopped.get(0);
    Duration hold = BASE.multipliedBy(1L << Math.min(unstartable - THRESHOLD, 10));
    if (hold.compareTo(CAP) > 0) {
      hold = CAP;
    }
    Instant until = last.stoppedAt().get().plus(hold);
    return now.isBefore(until) ? Optional.of(new Hold(unstartable, until, last)) : Optional.empty();
  }

  private static boolean unstartable(TaskView t) {
    if (t.exitCode().isPresent()) {
      return t.exitCode().get() == 2;
    }
    return t.stopReason().map(r -> NEVER_STARTED.matcher(r).find()).orElse(false);
  }

  /**
   * A hold.
   *
   * @param failures how many of the latest tasks could not run
   * @param until when one launch is let through again
   * @param last the latest of them
   */
  record Hold(int failures, Instant until, TaskView last) {
    String reason() {
      return "held: the last "
          + failures
          + " tasks could not run (task "
          + last.taskId()
          + ": "
          + last.exitCode().map(c -> "exit " + c + ", bad configuration").orElse("not started")
          + last.stopReason().map(r -> ", " + r).orElse("")
          + "); next launch at "
          + until
          + ", see the task's log";
    }
  }
}
