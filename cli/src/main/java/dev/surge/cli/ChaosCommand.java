package dev.surge.cli;

import dev.surge.chaos.ChaosReport;
import dev.surge.chaos.ChaosRun;
import dev.surge.chaos.ChaosSettings;
import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code surge chaos}: the options (the alarm period, fleet cap and visibility timeout shared with
 * {@code demo} and {@code up}), one call of the chaos run ({@link ChaosRun}, module {@code chaos}),
 * and its report printed as text or JSON.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole local chain (queue, alarm, topic, function, reconciler, worker processes,"
          + " table) on --messages messages, 1%% of them poison (keys DynamoDB refuses), while"
          + " injecting faults as the drain passes 10, 20, 35, 50 and 65%%: SIGKILL of two workers,"
          + " SIGTERM of the whole fleet, SQS unreachable for 5 s, DynamoDB paused for 5 s"
          + " (SIGSTOP of dynalite), BatchWriteItem throttled for 10 s. The workers reach SQS and"
          + " DynamoDB through fault proxies; the accounting goes direct.",
      "Then count: every good message must be in the table, every poison message in the"
          + " dead-letter queue, and the fleet must never have exceeded --max-tasks. Exit 0 only"
          + " then, with every fault injected; 1 otherwise."
    })
final class ChaosCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--messages",
      defaultValue = "100000",
      description = "Messages to produce, poison included (${DEFAULT-VALUE}).")
  long messages;

  @Option(
      names = "--poison-percent",
      defaultValue = "1",
      description = "Share of poison messages, percent (${DEFAULT-VALUE}).")
  double poisonPercent;

  @Mixin MaxTasksOption maxTasks = new MaxTasksOption();

  @Mixin VisibilityOption visibility = new VisibilityOption();

  @Mixin AlarmPeriodOption alarmPeriod = new AlarmPeriodOption();

  @Option(
      names = "--timeout",
      defaultValue = "1200",
      description = "Give up after this many seconds (${DEFAULT-VALUE}).")
  long timeout;

  @Option(
      names = "--logs",
      description =
          "Keep the tasks' logs in this folder (default: a temporary folder, removed"
              + " after a passing run).")
  Path logs;

  @Option(names = "--json", description = "Print one JSON object with every figure.")
  boolean json;

  /** Called by the command factory. */
  ChaosCommand(Map<String, String> env) {
    // the run starts its own stand-ins; the caller's endpoint variables do not apply
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (messages < 100 || messages > 10_000_000) {
      throw new ConfigException("--messages must be 100..10000000, was " + messages);
    }
    if (poisonPercent < 0 || poisonPercent > 50) {
      throw new ConfigException("--poison-percent must be 0..50, was " + poisonPercent);
    }
    int cap = maxTasks.check(2, " (two workers are killed at once)");
    Duration hidden = visibility.check();
    if (timeout < 10) {
      throw new ConfigException("--timeout must be >= 10 seconds");
    }
    Duration period = alarmPeriod.parse(Duration.ofMinutes(5));
    LogFolder folder = LogFolder.of(logs, "surge-chaos-");
    ChaosReport report = null;
    try {
      // With --json, the run's progress goes to standard error and only the object to the output.
      report =
          ChaosRun.run(
              new ChaosSettings(
                  messages, poisonPercent, cap, hidden, period, Duration.ofSeconds(timeout)),
              folder.path(),
              json ? err : out);
    } finally {
      if (report == null) {
        // it ended early, on an error of its own: its logs (if any task ran) say why
        folder.finish(false, err, "surge chaos");
      }
    }
    if (json) {
      out.println(report.toJson());
    } else {
      report.print(out);
    }
    out.flush();
    folder.finish(report.passed(), err, "surge chaos");
    return report.passed() ? 0 : 1;
  }
}
