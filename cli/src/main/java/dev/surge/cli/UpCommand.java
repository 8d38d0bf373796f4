package dev.surge.cli;

import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.dashboard.DashboardServer;
import dev.surge.demo.Bursts;
import dev.surge.demo.TerminalView;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.standins.AwsEndpoint;
import dev.surge.standins.StandIns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code surge up}: the local cloud on fixed ports until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run the local cloud on fixed ports until Ctrl-C: SQS (ElasticMQ), DynamoDB (dynalite) and"
          + " one AWS endpoint for every API of the chain (AWS_ENDPOINT_URL)"
          + " on 127.0.0.1 with the seed's queue and table, plus the alarm, topic, trigger"
          + " function and task launcher. Produce into it from anywhere (surge produce, the aws"
          + " CLI, an SDK) and watch workers appear and the table fill.",
      "Prints the variables that point the aws CLI, any SDK or another surge command at it."
    })
final class UpCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin LocalCloudMixin cloud = new LocalCloudMixin();

  @Option(
      names = "--sqs-port",
      defaultValue = "" + StandIns.DEFAULT_SQS_PORT,
      description = "SQS port (${DEFAULT-VALUE}).")
  int sqsPort;

  @Option(
      names = "--dynamodb-port",
      defaultValue = "" + StandIns.DEFAULT_DYNAMODB_PORT,
      description = "DynamoDB port (${DEFAULT-VALUE}).")
  int dynamodbPort;

  @Option(
      names = "--aws-port",
      defaultValue = "" + AwsEndpoint.DEFAULT_PORT,
      description =
          "Port of the one AWS endpoint serving every API of the chain, AWS_ENDPOINT_URL"
              + " (${DEFAULT-VALUE}).")
  int awsPort;

  @Option(
      names = "--logs",
      description = "Folder for the tasks' logs (default: a new temp folder).")
  Path logs;

  @Option(
      names = {"-d", "--detach"},
      description =
          "Run in the background: print the variables once it is up and return; './surge logs'"
              + " shows its output, './surge stop' stops it.")
  boolean detach;

  UpCommand(Map<String, String> env) {
    // the local cloud ignores the caller's endpoint variables: it is what they point to
  }

  @Override
  @SuppressWarnings("try") // the terminal view only needs closing
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (detach) {
      return detached(out);
    }
    LogFolder folder = LogFolder.of(logs, "surge-up-");
    Path logDir = folder.path();
    LocalCloudOptions options;
    LocalCloud local;
    Clock clock = Clock.systemUTC();
    EventLog events = new EventLog(100_000);
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      // a bad option or a taken port: nothing ran, so the empty folder goes
      options = cloud.options(sqsPort, dynamodbPort, awsPort, logDir);
      local = LocalCloud.start(options, events, clock);
    } catch (RuntimeException e) {
      folder.removeIfTemporary();
      throw e;
    }
    Optional<DashboardServer> dashboard;
    try {
      // up promises fixed ports: a taken dashboard port is an error, not a move.
      dashboard =
          Dashboards.start(
              events,
              cloud.noDashboard,
              cloud.dashboardHost,
              cloud.dashboardPort,
              true,
              "local",
              options.names(),
              spec.commandLine().getErr());
    } catch (RuntimeException e) {
      local.close();
      folder.removeIfTemporary();
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              dashboard.ifPresent(DashboardServer::close);
              local.close();
              folder.removeIfTemporary();
              stopped.countDown();
            },
            "surge-up-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    // The cloud's own hook stops its parts at the same time: say what goes, before anything does.
    local.beforeShutdown(
        () -> {
          discarded(local, options).ifPresent(out::println);
          out.flush();
        });

    out.printf("Local cloud is up (Ctrl-C to stop).%n");
    out.printf(
        "  SQS       %s  queue %s (dead-letter queue %s)%n",
        local.standIns().sqsEndpoint(), options.names().queue(), options.names().deadLetterQueue());
    out.printf(
        "  DynamoDB  %s  table %s%n", local.standIns().dynamoDbEndpoint(), options.names().table());
    out.printf(
        "  AWS       %s  every API of the chain (SQS, DynamoDB, CloudWatch, SNS, STS, Lambda, ECS,"
            + " Logs)%n",
        local.awsEndpoint());
    out.printf(
        "  alarm %s: more than %d visible for one %s s period -> topic %s -> function %s ->"
            + " tasks (logs in %s)%n",
        options.names().alarm(),
        (long) options.alarmThreshold(),
        options.alarmPeriod().toMillis() / 1000.0,
        options.names().topic(),
        options.names().function(),
        logDir);
    dashboard.ifPresent(d -> out.printf("  Dashboard %s%n", d.uri()));
    out.printf("%nPoint the aws CLI, an SDK or a script at it:%n");
    for (Map.Entry<String, String> v : local.target().toEnvironment().entrySet()) {
      out.printf("  export %s=%s%n", v.getKey(), v.getValue());
    }
    out.printf("%nThen, for example:%n");
    out.printf("  ./surge produce        # 1100 messages: the alarm fires, tasks drain them%n");
    out.printf(
        "  aws sqs send-message --endpoint-url %s --queue-url %s --message-body 123456789%n",
        local.standIns().sqsEndpoint(), local.queues().url());
    out.printf(
        "  aws dynamodb scan --endpoint-url %s --table-name %s --select COUNT%n",
        local.standIns().dynamoDbEndpoint(), options.names().table());
    out.printf(
        "  aws cloudwatch describe-alarms --endpoint-url %s --alarm-names %s%n",
        local.awsEndpoint(), options.names().alarm());
    out.printf("  ./surge status         # one snapshot%n%n");
    out.flush();
    events.publish(new PipelineEvent.Note(clock.instant(), "info", "local cloud up"));
    try (TerminalView view =
            new TerminalView(events, out, System.console() != null, clock.instant());
        Bursts bursts = new Bursts(local, options.names().table(), events, out, clock)) {
      stopped.await(); // until Ctrl-C / SIGTERM; the hook stops everything
    }
    return 0;
  }

  /**
   * What stopping throws away, if anything: the local queues live in memory, so messages still
   * waiting (visible or delayed) and dead letters go with them. Messages in flight are finished or
   * released by the stopping tasks.
   */
  static Optional<String> discarded(LocalCloud local, LocalCloudOptions options) {
    try {
      dev.surge.monitor.PipelineMonitor.Sample s = local.monitor().sample();
      long waiting = s.depth().visible() + s.depth().delayed();
      if (waiting == 0 && s.deadLetters() == 0) {
        return Optional.empty();
      }
      return Optional.of(
          String.format(
              "stopping: %d message(s) still waiting in %s and %d in the dead-letter queue %s are"
                  + " discarded: the local queues live in memory (let a burst drain before"
                  + " stopping to have every message in the table)",
              waiting,
              options.names().queue(),
              s.deadLetters(),
              options.names().deadLetterQueue()));
    } catch (RuntimeException e) {
      return Optional.empty(); // the cloud is already failing: its own errors say so
    }
  }

  /** Starts this same command without --detach in the background and returns once it is up. */
  private int detached(PrintWriter out) throws IOException, InterruptedException {
    Optional<ProcessHandle> running = Detached.running();
    if (running.isPresent()) {
      throw new dev.surge.core.ConfigException(
          "a detached 'surge up' is already running (pid "
              + running.get().pid()
              + "); './surge logs' shows it, './surge stop' stops it");
    }
    cloud.options(
        sqsPort, dynamodbPort, awsPort, Path.of(".")); // the flags' errors, before starting
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        Detached.jvmOptions(
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      if (!arg.equals("--detach") && !arg.equals("-d")) {
        cmd.add(arg);
      }
    }
    java.nio.file.Files.createDirectories(Detached.dir());
    Path log = Detached.log();
    Process child =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    java.nio.file.Files.writeString(Detached.pidFile(), Detached.record(child.toHandle()));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String text = java.nio.file.Files.readString(log);
      int ready = text.indexOf("./surge status");
      if (ready >= 0) {
        out.print(
            text.substring(0, text.indexOf('\n', ready) + 1)
                .replace("(Ctrl-C to stop)", "(in the background)"));
        out.printf(
            "Detached (pid %d): './surge logs' shows its output (and './surge logs task-0001' a"
                + " task's), './surge stop' stops it.%n",
            child.pid());
        out.flush();
        return 0;
      }
      if (!child.isAlive()) {
        java.nio.file.Files.deleteIfExists(Detached.pidFile());
        spec.commandLine().getErr().print(text);
        spec.commandLine().getErr().flush();
        return child.exitValue();
      }
      Thread.sleep(100);
    }
    child.destroy();
    throw new IllegalStateException("the local cloud did not come up within 120 s; see " + log);
  }
}
