package dev.surge.core.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One task as an observer sees it.
 *
 * @param taskId the task's id
 * @param host the host name it writes into items
 * @param state lifecycle state
 * @param startedAt when the launch was requested
 * @param stoppedAt when it stopped, if it has
 * @param exitCode the worker's exit code, if it stopped and one is known
 * @param stopReason why it stopped, if it has ("Essential container exited", "killed", ...)
 */
public record TaskView(
    String taskId,
    String host,
    TaskState state,
    Instant startedAt,
    Optional<Instant> stoppedAt,
    Optional<Integer> exitCode,
    Optional<String> stopReason) {
  /** Requires every field (the optionals may be empty). */
  public TaskView {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(stoppedAt, "stoppedAt");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(stopReason, "stopReason");
  }
}
