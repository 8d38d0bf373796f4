package dev.surge.cli;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code surge logs [task]}: the detached {@code surge up}'s output, or one task's log. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the output of the local cloud started with 'surge up --detach' (the events it"
          + " printed, its run summaries), or, given a task id (task-0001, ...), that task's log."
    })
final class LogsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "TASK", description = "A task id, e.g. task-0001.")
  String task;

  LogsCommand(Map<String, String> env) {
    // nothing to configure
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path file;
    if (task == null) {
      file = Detached.log();
      if (!Files.exists(file)) {
        throw new ConfigException(
            "no output of a detached 'surge up' at "
                + file
                + "; start one with './surge up --detach'");
      }
    } else {
      if (!task.matches("task-\\d{4,}")) {
        throw new ConfigException("'" + task + "' is not a task id (task-0001, ...)");
      }
      Path dir =
          Detached.taskLogs()
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "no detached 'surge up' has printed where its task logs are; start one"
                              + " with './surge up --detach'"));
      file = dir.resolve(task + ".log");
      if (!Files.exists(file)) {
        throw new ConfigException(
            "no log for " + task + " in " + dir + " (the tasks so far: surge status)");
      }
    }
    out.print(Files.readString(file, StandardCharsets.UTF_8));
    out.flush();
    return 0;
  }
}
