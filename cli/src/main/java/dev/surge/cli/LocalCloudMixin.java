package dev.surge.cli;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.local.LocalCloudOptions;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.queue.QueueOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The local cloud's options, shared by {@code surge demo} and {@code surge up}; {@code surge chaos}
 * shares its alarm period, fleet cap and visibility timeout.
 */
final class LocalCloudMixin {
  @Mixin AlarmPeriodOption alarmPeriod = new AlarmPeriodOption();

  @Mixin MaxTasksOption maxTasks = new MaxTasksOption();

  @Mixin VisibilityOption visibility = new VisibilityOption();

  @Option(
      // --activation is its older name, kept working: "activation" is also the name of the rule
      // that starts one task for any backlog (SURGE_ACTIVATION), which this is not.
      names = {"--threshold", "--activation"},
      defaultValue = "100",
      description =
          "The alarm's threshold: it fires when more than this many messages are visible"
              + " (${DEFAULT-VALUE}, the seed's; 0 = on any backlog). --activation is its older"
              + " name.")
  double threshold;

  @Option(
      names = "--policy",
      defaultValue = "proportional",
      description =
          "proportional (${DEFAULT-VALUE}: ceil(backlog / messages-per-task), 1..max-tasks) or"
              + " fixed (always --tasks, as the seed).")
  String policy;

  @Option(
      names = "--messages-per-task",
      defaultValue = "300",
      description = "Backlog per task, proportional policy (${DEFAULT-VALUE}).")
  int messagesPerTask;

  @Option(
      names = "--tasks",
      defaultValue = "4",
      description = "Fleet size of the fixed policy (${DEFAULT-VALUE}, the seed's).")
  int tasks;

  @Option(
      names = "--worker-concurrency",
      description = "Pollers per worker task (default: the worker's, 4).")
  Integer workerConcurrency;

  @Option(
      names = "--idle",
      defaultValue = "5",
      description = "Seconds of empty polls before a worker exits (${DEFAULT-VALUE}).")
  String idle;

  @Option(
      names = "--poll-wait",
      defaultValue = "2",
      description = "Long-poll wait of the workers, whole seconds 1..20 (${DEFAULT-VALUE}).")
  String pollWait;

  @Option(
      names = "--max-receive-count",
      defaultValue = "5",
      description = "Receives before a message moves to the dead-letter queue (${DEFAULT-VALUE}).")
  int maxReceiveCount;

  @Option(
      names = "--dashboard-port",
      defaultValue = "8080",
      description = "Port of the live dashboard (${DEFAULT-VALUE}; 0 = any free port).")
  int dashboardPort;

  @Option(
      names = "--dashboard-host",
      defaultValue = "127.0.0.1",
      description =
          "Interface of the dashboard (${DEFAULT-VALUE}: this machine only; the page has no"
              + " authentication).")
  String dashboardHost;

  @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
  boolean noDashboard;

  LocalCloudOptions options(int sqsPort, int dynamodbPort, int awsPort, Path logs) {
    port("--sqs-port", sqsPort);
    port("--dynamodb-port", dynamodbPort);
    port("--aws-port", awsPort);
    port("--dashboard-port", dashboardPort);
    Duration period = alarmPeriod.parse(Duration.ofHours(1));
    if (threshold < 0) {
      throw new ConfigException("--threshold must be >= 0, was " + threshold);
    }
    int maxTasks = this.maxTasks.check(1, "");
    ScalingPolicy p =
        switch (policy.toLowerCase(Locale.ROOT)) {
          case "proportional" -> {
            if (messagesPerTask < 1) {
              throw new ConfigException("--messages-per-task must be >= 1");
            }
            yield new ScalingPolicy.Proportional(messagesPerTask, maxTasks);
          }
          case "fixed" -> {
            if (tasks < 1 || tasks > maxTasks) {
              throw new ConfigException("--tasks must be 1..--max-tasks (" + maxTasks + ")");
            }
            yield new ScalingPolicy.Fixed(tasks);
          }
          default ->
              throw new ConfigException(
                  "--policy '" + policy + "' is not a policy; use proportional or fixed");
        };
    WorkerTuning tuning =
        WorkerTuning.defaults()
            .withIdleWindow(Env.parseSeconds("--idle", idle, Duration.ZERO, Duration.ofHours(1)))
            .withPollWait(WorkerSettings.parsePollWait("--poll-wait", pollWait));
    if (workerConcurrency != null) {
      if (workerConcurrency < 1 || workerConcurrency > 64) {
        throw new ConfigException("--worker-concurrency must be 1..64");
      }
      tuning = tuning.withConcurrency(workerConcurrency);
    }
    Duration visibility = this.visibility.check();
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new ConfigException("--max-receive-count must be 1..1000");
    }
    return LocalCloudOptions.seed(sqsPort, dynamodbPort, logs)
        .withAwsPort(awsPort)
        .withAlarmPeriod(period)
        .withAlarmThreshold(threshold)
        .withPolicy(p, maxTasks)
        .withTuning(tuning)
        .withQueue(new QueueOptions(visibility, maxReceiveCount));
  }

  private static void port(String flag, int value) {
    if (value < 0 || value > 65535) {
      throw new ConfigException(flag + " must be 0..65535 (0 = any free port), was " + value);
    }
  }
}
