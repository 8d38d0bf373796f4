package dev.surge.core.port;

/** Lifecycle of a task, as ECS reports it (collapsed to what a viewer needs). */
public enum TaskState {
  /** Accepted, not yet running (ECS PROVISIONING/PENDING; locally: process starting). */
  PROVISIONING,
  /** Running. */
  RUNNING,
  /** Stopped, with an exit code and a stop reason. */
  STOPPED;

  /** Whether the task still counts against the fleet. */
  public boolean alive() {
    return this != STOPPED;
  }
}
