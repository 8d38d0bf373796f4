package dev.surge.cli;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code surge logs [-f] [task]}: the detached {@code surge up}'s output, or one task's log. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the output of the local cloud started with 'surge up --detach' (the events it"
          + " printed, its run summaries), or, given a task id (task-0001, ...), that task's log.",
      "With -f, keep printing what is written, until Ctrl-C or the end of the writer: the local"
          + " cloud's output ends when that 'surge up' has exited; a task's log ends when the"
          + " local cloud's output says 'task task-0001: STOPPED' (it says so once the task's"
          + " process has ended and its log is complete), or when the local cloud has exited"
          + " (its tasks stop with it)."
    })
final class LogsCommand implements Callable<Integer> {
  /** How often a followed log is read again. */
  static final Duration POLL = Duration.ofMillis(200);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "TASK", description = "A task id, e.g. task-0001.")
  String task;

  @Option(
      names = {"-f", "--follow"},
      description =
          "Keep printing new lines as they are written (as tail -f does) until Ctrl-C; ends by"
              + " itself (exit 0) once the detached 'surge up' has exited or, for a task, once"
              + " the task has stopped.")
  boolean follow;

  LogsCommand(Map<String, String> env) {
    // nothing to configure
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
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
    if (!follow) {
      out.print(Files.readString(file, StandardCharsets.UTF_8));
      out.flush();
      return 0;
    }
    // The local cloud that writes these logs; none: they are complete.
    Optional<ProcessHandle> up = Detached.running();
    BooleanSupplier upEnded = () -> up.map(p -> !p.isAlive()).orElse(true);
    BooleanSupplier ended = task == null ? upEnded : anyOf(upEnded, stopped(Detached.log(), task));
    LogFollower.follow(file, out, ended, POLL);
    return 0;
  }

  /**
   * Whether the local cloud's output at {@code upLog} has said that {@code taskId} stopped, read as
   * it grows. The launcher says so once the task's process has ended and its output is all in its
   * log (the line "task task-0001: STOPPED exit 0, ...").
   */
  static BooleanSupplier stopped(Path upLog, String taskId) {
    LogFollower.Tail tail = new LogFollower.Tail(upLog);
    String said = "task " + taskId + ": STOPPED";
    boolean[] seen = {false};
    return () -> {
      if (!seen[0]) {
        try {
          seen[0] = tail.lines().lines().anyMatch(line -> line.contains(said));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return seen[0];
    };
  }

  private static BooleanSupplier anyOf(BooleanSupplier a, BooleanSupplier b) {
    return () -> a.getAsBoolean() || b.getAsBoolean();
  }
}
