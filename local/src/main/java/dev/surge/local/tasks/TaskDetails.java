package dev.surge.local.tasks;

import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One task as ECS's {@code DescribeTasks} reports it, beyond a viewer's {@link TaskView}.
 *
 * @param view its state, times, exit code and stop reason
 * @param request what it runs: the definition's revision, who started it, its overrides
 * @param lastStatus its ECS status
 * @param desiredStopped whether ECS would want it STOPPED: it was asked to stop, or its process has
 *     exited
 * @param pendingAt when its process started to start (ECS's {@code pullStartedAt}), if it did
 * @param runningAt when it became RUNNING, if it did
 * @param stoppingAt when it was asked to stop (SIGTERM, as {@code StopTask}), if it was; a task
 *     that exited by itself, or was killed as a crash would, has none
 * @param executionStoppedAt when its process exited, if it has
 * @param stopCode ECS's stop code once it stopped: {@value #ESSENTIAL_CONTAINER_EXITED}, {@value
 *     #USER_INITIATED} or {@value #TASK_FAILED_TO_START}
 * @param metadataToken its part of the task metadata endpoint's path
 * @param history every status it has had, with when, oldest first
 */
public record TaskDetails(
    TaskView view,
    TaskRequest request,
    TaskStatus lastStatus,
    boolean desiredStopped,
    Optional<Instant> pendingAt,
    Optional<Instant> runningAt,
    Optional<Instant> stoppingAt,
    Optional<Instant> executionStoppedAt,
    Optional<String> stopCode,
    String metadataToken,
    List<StatusChange> history) {

  /** The stop code of a task whose essential container exited by itself (or was killed). */
  public static final String ESSENTIAL_CONTAINER_EXITED = "EssentialContainerExited";

  /** The stop code of a task stopped by {@code StopTask} (or by the launcher). */
  public static final String USER_INITIATED = "UserInitiated";

  /** The stop code of a task whose process could not be started. */
  public static final String TASK_FAILED_TO_START = "TaskFailedToStart";

  /** One status a task had, from {@code at}. */
  public record StatusChange(TaskStatus status, Instant at) {}

  /** Requires every field. */
  public TaskDetails {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(lastStatus, "lastStatus");
    Objects.requireNonNull(pendingAt, "pendingAt");
    Objects.requireNonNull(runningAt, "runningAt");
    Objects.requireNonNull(stoppingAt, "stoppingAt");
    Objects.requireNonNull(executionStoppedAt, "executionStoppedAt");
    Objects.requireNonNull(stopCode, "stopCode");
    Objects.requireNonNull(metadataToken, "metadataToken");
    history = List.copyOf(history);
  }

  /** Its id. */
  public String taskId() {
    return view.taskId();
  }

  /** The definition's revision it runs. */
  public TaskDefinition definition() {
    return request.definition();
  }

  /** {@code RUNNING}, or {@code STOPPED} once it is asked to stop or its process has exited. */
  public String desiredStatus() {
    return desiredStopped ? "STOPPED" : "RUNNING";
  }
}
