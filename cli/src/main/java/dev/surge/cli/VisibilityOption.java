package dev.surge.cli;

import dev.surge.core.ConfigException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --visibility}: shared by the commands that start the local cloud. */
final class VisibilityOption {
  @Option(
      names = "--visibility",
      defaultValue = "30",
      description =
          "Queue visibility timeout, seconds (${DEFAULT-VALUE}): how long a message a task"
              + " received, or a killed task's, stays hidden.")
  int visibility;

  /** The timeout, 1..43200 seconds. */
  Duration check() {
    if (visibility < 1 || visibility > 43200) {
      throw new ConfigException("--visibility must be 1..43200 seconds");
    }
    return Duration.ofSeconds(visibility);
  }
}
