package dev.surge.local.tasks;

import dev.surge.core.port.TaskState;

/**
 * A task's {@code lastStatus} as ECS reports it, for the states a local task goes through: {@code
 * PROVISIONING} from {@code RunTask} until its process is being started, {@code PENDING} while it
 * starts (Surge's worker: until it says it is ready), {@code RUNNING}, {@code DEPROVISIONING} once
 * its process has exited while the launcher collects the rest of its output and its exit code,
 * {@code STOPPED}.
 */
public enum TaskStatus {
  PROVISIONING,
  PENDING,
  RUNNING,
  DEPROVISIONING,
  STOPPED;

  /**
   * The viewers' state: provisioning until it runs, stopped once it is STOPPED; a task
   * deprovisioning is still what it was before its process exited ({@code ran}: it had run).
   */
  TaskState state(boolean ran) {
    return switch (this) {
      case PROVISIONING, PENDING -> TaskState.PROVISIONING;
      case RUNNING -> TaskState.RUNNING;
      case DEPROVISIONING -> ran ? TaskState.RUNNING : TaskState.PROVISIONING;
      case STOPPED -> TaskState.STOPPED;
    };
  }

  /** Its container's status: PENDING until it runs, RUNNING, STOPPED once its process exited. */
  public String containerStatus() {
    return switch (this) {
      case PROVISIONING, PENDING -> "PENDING";
      case RUNNING -> "RUNNING";
      case DEPROVISIONING, STOPPED -> "STOPPED";
    };
  }
}
