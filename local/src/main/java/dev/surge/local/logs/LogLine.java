package dev.surge.local.logs;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a task's or the function's log, as CloudWatch Logs would hold it.
 *
 * @param at when it was written
 * @param message the line, without its line break
 */
public record LogLine(Instant at, String message) {
  /** Requires both. */
  public LogLine {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(message, "message");
  }
}
