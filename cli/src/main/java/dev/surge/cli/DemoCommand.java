package dev.surge.cli;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.cli.demo.AwsDemo;
import dev.surge.cli.demo.TerminalView;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.dashboard.DashboardServer;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.watch.StackOutputs;
import dev.surge.run.RunSummaries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
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

  /** How long a stop waits for the producer's batches in flight before it counts. */
  private static final java.time.Duration PRODUCER_STOP = java.time.Duration.ofSeconds(10);

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

  @SuppressWarnings("try") // the terminal view only needs closing
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
    events.publish(
        new PipelineEvent.Note(clock.instant(), "info", "local cloud up; producing " + messages));
    PipelineEvent.RunSummary summary;
    try (TerminalView view = new TerminalView(events, out, System.console() != null, start)) {
      Instant firstSent = clock.instant();
      AtomicLong sent = new AtomicLong();
      // Ctrl-C or SIGTERM: the producer and the reconciler stop first, then the fleet (SIGTERM,
      // bounded by the stop timeout), then what ran so far is summed up; the cloud's own hook
      // then stops the stand-ins.
      java.util.concurrent.atomic.AtomicBoolean stopping =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicBoolean finished =
          new java.util.concurrent.atomic.AtomicBoolean();
      // Counted down once the producer has returned: its batches in flight are then sent (or
      // not) and counted, so the stop's summary counts every message the queue accepted.
      java.util.concurrent.CountDownLatch producerDone = new java.util.concurrent.CountDownLatch(1);
      local.beforeShutdown(
          () -> {
            stopping.set(true);
            if (finished.get()) {
              // The summary is out (--keep-open): stop the cloud, then its temporary logs go.
              local.close();
              folder.removeIfTemporary();
              return;
            }
            view.close();
            out.printf(
                "%nstopping: the producer and the reconciler, then the tasks (SIGTERM), then the"
                    + " stand-ins...%n");
            out.flush();
            local.stopLaunching();
            try {
              if (!producerDone.await(
                  PRODUCER_STOP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                out.printf(
                    "(the producer did not stop within %d s: its last batches may be missing from"
                        + " the count)%n",
                    PRODUCER_STOP.toSeconds());
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            local.launcher().close();
            PipelineMonitor.Sample last = local.monitor().sample();
            PipelineEvent.RunSummary partial =
                RunSummaries.compute(
                    local.dynamodb(),
                    options.names().table(),
                    sent.get(),
                    firstSent,
                    last.deadLetters() + local.purgedDeadLetters(),
                    last.depth().backlog(),
                    local.purged(), // a purge through its SQS endpoint, by another tool
                    RunSummaries.hosts(local.launcher().tasks()),
                    local.launcher().messagesWritten(0),
                    local.launcher().workerRequests(),
                    clock.instant(),
                    Optional.empty(),
                    // the producer sends batches of 10; it has not said how many requests yet
                    Optional.of(local.usage().plusSqsRequests((sent.get() + 9) / 10)),
                    events);
            out.printf("stopped before the end; what ran so far:%n");
            RunSummaries.print(out, partial, true);
            out.printf("(the tasks' logs are in %s)%n", folder.path());
            out.flush();
          });
      ProduceResult produced;
      try {
        produced =
            new Producer(local.sqs(), local.queues().url(), Backoff.standard())
                .produce(
                    messages,
                    producerConcurrency,
                    Optional.ofNullable(rate),
                    new UniqueBodies(new SplittableRandom(new SecureRandom().nextLong())),
                    n ->
                        events.publish(
                            new PipelineEvent.Produced(
                                clock.instant(), sent.addAndGet(n), messages)),
                    stopping::get);
      } finally {
        producerDone.countDown();
      }
      Instant deadline = clock.instant().plusSeconds(timeoutSeconds());
      PipelineMonitor.Sample s;
      while (true) {
        if (stopping.get()) {
          // The shutdown hook sums up and stops everything; the JVM ends when it is done.
          new java.util.concurrent.CountDownLatch(1).await();
        }
        s = local.monitor().sample();
        boolean quiet = s.depth().empty() && local.launcher().running() == 0;
        if (quiet && s.items() + s.deadLetters() >= produced.sent()) {
          break;
        }
        if (clock.instant().isAfter(deadline)) {
          events.publish(
              new PipelineEvent.Note(
                  clock.instant(),
                  "error",
                  "timed out after "
                      + timeout
                      + " s; queue "
                      + s.depth()
                      + ", items "
                      + s.items()));
          break;
        }
        Thread.sleep(500);
      }
      Instant drained = clock.instant();
      summary =
          RunSummaries.compute(
              local.dynamodb(),
              options.names().table(),
              produced.sent(),
              firstSent,
              s.deadLetters() + local.purgedDeadLetters(),
              s.depth().backlog(),
              local.purged(), // a purge through its SQS endpoint, by another tool
              RunSummaries.hosts(local.launcher().tasks()),
              local.launcher().messagesWritten(0),
              local.launcher().workerRequests(),
              drained,
              Optional.empty(),
              Optional.of(local.usage().plusSqsRequests(produced.requests())),
              events);
      events.publish(new PipelineEvent.RunFinished(clock.instant(), summary));
      finished.set(true);
    }
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
