package dev.surge.core.item;

import java.util.Objects;

/**
 * Who processes messages: written into every item, as the seed wrote the container's host name.
 *
 * @param taskId the task (locally the launcher's task id; in ECS the task id from the task ARN)
 * @param host the host name (in Fargate the task's host name; locally the task id)
 */
public record TaskIdentity(String taskId, String host) {
  /** Both parts are required and non-blank. */
  public TaskIdentity {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(host, "host");
    if (taskId.isBlank() || host.isBlank()) {
      throw new IllegalArgumentException("taskId and host must not be blank");
    }
  }
}
