package dev.surge.core.port;

/**
 * Starts worker tasks and counts the ones alive. Adapter: {@code EcsTaskLauncher} (ECS {@code
 * RunTask}: on Fargate in AWS, and at the local cloud's endpoint, whose ECS runs the tasks as
 * processes of this machine).
 */
public interface TaskLauncher {

  /**
   * Starts {@code count} tasks. Never throws for a task that could not start: each such task is a
   * {@link LaunchFailure} in the result, so the caller can report it and decide again later.
   *
   * @param count tasks to start, {@code >= 1}
   * @return the tasks started and the failures, together accounting for {@code count}
   */
  LaunchResult launch(int count);

  /** Tasks started by this launcher that have not stopped yet (provisioning, pending, running). */
  int running();
}
