package dev.surge.cli;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.worker.TaskIdentities;
import dev.surge.worker.WorkerRunner;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code surge work}: one worker in this terminal, the same code as the container's. */
@Command(
    name = "work",
    mixinStandardHelpOptions = true,
    description = {
      "Drain the queue into the table and exit when it stays empty (the task's worker).",
      "Settings come from SURGE_* variables (as in the container); flags override them."
    })
final class WorkCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin TargetOption target = new TargetOption();

  @Option(
      names = "--json",
      description =
          "End with the worker's summary as one JSON line (what launchers read) instead of a"
              + " sentence.")
  boolean json;

  @Option(names = "--queue", description = "Queue name or URL (SURGE_QUEUE).")
  String queue;

  @Option(names = "--table", description = "Table name (SURGE_TABLE).")
  String table;

  @Option(names = "--concurrency", description = "Pollers (SURGE_CONCURRENCY, default 4).")
  Integer concurrency;

  @Option(
      names = "--poll-wait",
      description = "Long-poll wait, whole seconds 1..20 (SURGE_POLL_WAIT_SECONDS, default 5).")
  String pollWait;

  @Option(
      names = "--idle",
      description = "Idle window in seconds before exiting (SURGE_IDLE_SECONDS, default 10).")
  String idle;

  @Option(
      names = "--visibility",
      description = "Visibility timeout to request, seconds (default: the queue's).")
  String visibility;

  @Option(
      names = "--startup-retry",
      description =
          "Seconds to retry an endpoint that does not answer at start-up"
              + " (SURGE_STARTUP_RETRY_SECONDS; default 0 here: fail at once, exit 2).")
  String startupRetry;

  @Option(names = "--task-id", description = "Task id written into items (SURGE_TASK_ID).")
  String taskId;

  @Option(
      names = {"-v", "--verbose"},
      description = "Debug logging.")
  boolean verbose;

  WorkCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Env e = new Env(env);
    WorkerSettings s = WorkerSettings.fromEnvironment(e);
    // At a terminal, a worker with nothing to talk to is a setting to fix, now; a container's
    // worker (WorkerMain) keeps the default and rides out a blip.
    if (startupRetry != null) {
      s =
          s.withStartupRetry(
              Env.parseSeconds(
                  "--startup-retry", startupRetry, Duration.ZERO, Duration.ofMinutes(10)));
    } else if (e.get(WorkerSettings.STARTUP_RETRY).isEmpty()) {
      s = s.withStartupRetry(Duration.ZERO);
    }
    if (queue != null) {
      s = s.withQueue(queue);
    }
    if (table != null) {
      s = s.withTable(table);
    }
    if (concurrency != null) {
      if (concurrency < 1 || concurrency > 64) {
        throw new ConfigException("--concurrency must be 1..64, was " + concurrency);
      }
      s = s.withConcurrency(concurrency);
    }
    if (pollWait != null) {
      s = s.withPollWait(WorkerSettings.parsePollWait("--poll-wait", pollWait));
    }
    if (idle != null) {
      s = s.withIdleWindow(Env.parseSeconds("--idle", idle, Duration.ZERO, Duration.ofHours(1)));
    }
    if (visibility != null) {
      s =
          s.withVisibilityTimeout(
              Optional.of(
                  Env.parseSeconds(
                      "--visibility", visibility, Duration.ofSeconds(1), Duration.ofHours(12))));
    }
    TaskIdentity id = TaskIdentities.resolve(e);
    if (taskId != null) {
      id = new TaskIdentity(taskId, id.host());
    }
    return WorkerRunner.run(s, target.resolve(e), id, spec.commandLine().getOut(), false, json);
  }
}
