package dev.surge.cli;

import dev.surge.core.ConfigException;
import dev.surge.core.scaling.ScalingPolicy;
import picocli.CommandLine.Option;

/** {@code --max-tasks}: shared by the commands that start the local cloud. */
final class MaxTasksOption {
  @Option(
      names = "--max-tasks",
      defaultValue = "" + ScalingPolicy.Proportional.DEFAULT_MAX_TASKS,
      description = "At most this many tasks at once (${DEFAULT-VALUE}).")
  int maxTasks;

  /** The cap, {@code min}..100; {@code why}, if not empty, says why the least is {@code min}. */
  int check(int min, String why) {
    if (maxTasks < min || maxTasks > 100) {
      throw new ConfigException("--max-tasks must be " + min + "..100" + why + ", was " + maxTasks);
    }
    return maxTasks;
  }
}
