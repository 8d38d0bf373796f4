package dev.surge.core.port;

import java.util.Objects;

/**
 * A task that could not be started.
 *
 * @param reason short cause, as the service gave it (e.g. ECS {@code RESOURCE:MEMORY})
 * @param detail more context, possibly empty
 */
public record LaunchFailure(String reason, String detail) {
  /** Requires both parts (the detail may be empty). */
  public LaunchFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
