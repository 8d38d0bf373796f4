package dev.surge.cli;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.dashboard.DashboardServer;
import dev.surge.demo.AwsDemo;
import dev.surge.demo.LocalDemo;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.run.RunSummaries;
import dev.surge.watch.StackOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code surge demo}: the seed's demo in one command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The seed's demo in one command, on this machine: start the local cloud (SQS, DynamoDB, the"
          + " alarm, the topic, the trigger function, the task launcher), produce the messages,"
          + " and show the chain as it happens until the queue is empty and every task has"
          + " stopped; then print the summary.",
      "Exit 0 only if every produced message is in the table or the dead-letter queue."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LocalCloudMixin cloud = new LocalCloudMixin();

  @Mixin TargetOption target = new TargetOption();

  @Option(
      names = "--prefix",
      description = "With --target aws: the prefix the stack was deployed with.")
  String prefix;

  @Option(
      names = "--messages",
      defaultValue = "1100",
      description = "Messages to produce (${DEFAULT-VALUE}, the seed's).")
  long messages;

  @Option(
      names = "--producer-concurrency",
      defaultValue = "4",
      description = "Concurrent senders (${DEFAULT-VALUE}).")
  int producerConcurrency;

  @Option(names = "--rate", description = "Produce at most this many messages per second.")
  Double rate;

  @Option(
      names = "--timeout",
      description = "Give up after this many seconds (default 600; 1200 with --target aws).")
  Long timeout;

  @Option(
      names = "--sqs-port",
      defaultValue = "0",
      description =
          "SQS port (${DEFAULT-VALUE} = any free port, so a running 'surge up' is left alone).")
  int sqsPort;

  @Option(
      names = "--dynamodb-port",
      defaultValue = "0",
      description = "DynamoDB port (${DEFAULT-VALUE} = any free port).")
  int dynamodbPort;

  @Option(
      names = "--aws-port",
      defaultValue = "0",
      description =
          "Port of the one AWS endpoint serving every API of the chain (${DEFAULT-VALUE} = any"
              + " free port).")
  int awsPort;

  @Option(
      names = "--logs",
      description = "Folder for the tasks' logs (default: a new temp folder).")
  Path logs;

  @Option(
      names = "--keep-open",
      description = "After the summary, keep the dashboard (and the local cloud) up until Ctrl-C.")
  boolean keepOpen;

  private final Map<String, String> env;

  DemoCommand(Map<String, String> env) {
    this.env = env;
  }

  private long timeoutSeconds() {
    long t = timeout != null ? timeout : target.target == TargetOption.Target.aws ? 1200 : 600;
    if (t < 1) {
      throw new ConfigException("--timeout must be >= 1 second");
    }
    return t;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (messages < 1 || messages > UniqueBodies.SIZE) {
      throw new ConfigException("--messages must be 1.." + UniqueBodies.SIZE);
    }
    if (messages <= cloud.threshold) {
      throw new ConfigException(
          messages
              + " messages do not cross the alarm threshold ("
              + (long) cloud.threshold
              + " visible): the alarm would never fire and nothing would drain them. Produce"
              + " more, or lower the threshold with --threshold 0");
    }
    if (target.target == TargetOption.Target.aws) {
      return aws(out, err);
    }
    LogFolder folder = LogFolder.of(logs, "surge-demo-");
    boolean passed = false;
    try {
      passed = local(folder, out, err);
      return passed ? 0 : 1;
    } finally {
      // After the cloud has stopped its tasks. A failed run keeps its logs: they say why.
      folder.finish(passed, err, "surge");
    }
  }

  private boolean local(LogFolder folder, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    LocalCloudOptions options = cloud.options(sqsPort, dynamodbPort, awsPort, folder.path());
    Clock clock = Clock.systemUTC();
    EventLog events = new EventLog(100_000);
    Instant start = clock.instant();
    out.printf("Starting the local cloud (SQS, DynamoDB, alarm, topic, function, launcher)...%n");
    out.flush();
    try (LocalCloud local = LocalCloud.start(options, events, clock)) {
      Optional<DashboardServer> dashboard =
          Dashboards.start(
              events,
              cloud.noDashboard,
              cloud.dashboardHost,
              cloud.dashboardPort,
              false,
              "local",
              options.names(),
              err);
      try {
        return run(local, options, events, clock, start, dashboard, folder, out) == 0;
      } finally {
        dashboard.ifPresent(DashboardServer::close);
      }
    }
  }

  // The same demo against the deployed stack: AWS runs the chain, the watcher shows it.
  private int aws(PrintWriter out, PrintWriter err) throws InterruptedException {
    Clock clock = Clock.systemUTC();
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 16, List.of());
    AwsDemo demo = new AwsDemo(clients, clock);
    StackOutputs outputs = demo.outputs(prefix);
    EventLog events = new EventLog(100_000);
    Optional<DashboardServer> dashboard =
        Dashboards.start(
            events,
            cloud.noDashboard,
            cloud.dashboardHost,
            cloud.dashboardPort,
            false,
            "aws",
            AwsDemo.names(outputs),
            err);
    try {
      out.printf(
          "Stack %s in %s: producing %d messages into %s%n",
          outputs.stackName(), outputs.region(), messages, outputs.queueUrl());
      out.printf(
          "  the CloudWatch alarm evaluates once a minute; Fargate tasks take about a minute to"
              + " start%n");
      dashboard.ifPresent(d -> out.printf("%n  Dashboard: %s%n%n", d.uri()));
      out.flush();
      PipelineEvent.RunSummary summary =
          demo.run(
              outputs,
              events,
              messages,
              producerConcurrency,
              Optional.ofNullable(rate),
              java.time.Duration.ofSeconds(timeoutSeconds()),
              out,
              System.console() != null);
      RunSummaries.print(out, summary);
      out.flush();
      if (keepOpen && dashboard.isPresent()) {
        out.printf("Keeping the dashboard up; Ctrl-C to stop.%n");
        out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
      }
      return summary.success() ? 0 : 1;
    } finally {
      dashboard.ifPresent(DashboardServer::close);
    }
  }

  private int run(
      LocalCloud local,
      LocalCloudOptions options,
      EventLog events,
      Clock clock,
      Instant start,
      Optional<DashboardServer> dashboard,
      LogFolder folder,
      PrintWriter out)
      throws InterruptedException {
    out.printf(
        "  SQS %s  DynamoDB %s  queue %s  table %s%n",
        local.standIns().sqsEndpoint(),
        local.standIns().dynamoDbEndpoint(),
        options.names().queue(),
        options.names().table());
    out.printf(
        "  alarm: %s > %s visible, period %s s; policy %s; task logs in %s%n",
        options.names().alarm(),
        (long) options.alarmThreshold(),
        options.alarmPeriod().toMillis() / 1000.0,
        options.policy().describe(),
        folder.path());
    dashboard.ifPresent(d -> out.printf("%n  Dashboard: %s%n%n", d.uri()));
    out.flush();
    PipelineEvent.RunSummary summary =
        new LocalDemo(local, events, clock, out, System.console() != null)
            .run(
                new LocalDemo.Settings(
                    messages,
                    producerConcurrency,
                    Optional.ofNullable(rate),
                    java.time.Duration.ofSeconds(timeoutSeconds())),
                start,
                folder.path(),
                folder::removeIfTemporary);
    RunSummaries.print(out, summary);
    if (dashboard.isPresent() && !keepOpen) {
      out.printf("%n(The dashboard stops with this command; --keep-open keeps it up.)%n");
    }
    out.flush();
    if (keepOpen) {
      out.printf("Keeping the local cloud and the dashboard up; Ctrl-C to stop.%n");
      out.flush();
      new java.util.concurrent.CountDownLatch(1).await();
    }
    return summary.success() ? 0 : 1;
  }
}
