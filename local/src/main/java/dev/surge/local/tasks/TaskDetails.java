package dev.surge.local.tasks;

import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One task as ECS's {@code DescribeTasks} reports it, beyond a viewer's {@link TaskView}.
 *
 * @param view its state, times, exit code and stop reason
 * @param runningAt when it became RUNNING (its worker said it was ready), if it did
 * @param stoppingAt when the launcher asked it to stop (SIGTERM, as {@code StopTask}), if it did; a
 *     task that exited by itself, or was killed as a crash would, has none
 */
public record TaskDetails(
    TaskView view, Optional<Instant> runningAt, Optional<Instant> stoppingAt) {
  /** Requires every field. */
  public TaskDetails {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(runningAt, "runningAt");
    Objects.requireNonNull(stoppingAt, "stoppingAt");
  }
}
