package dev.surge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.PlainHttp;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.aws.SqsQueues;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.port.QueueDepth;
import dev.surge.monitor.PipelineMonitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code surge status}: one snapshot of the running local cloud, for scripts and humans. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "One snapshot of the running local cloud ('surge up' or 'surge demo'): queue depth, in"
          + " flight, dead-letter queue, alarm state, tasks, items in the table.",
      "Reads the dashboard's /api/snapshot; without it, reads the queue and table directly."
    })
final class StatusCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dashboard-port",
      defaultValue = "8080",
      description = "Port of the running dashboard (${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(names = "--json", description = "Print the snapshot as JSON.")
  boolean json;

  @picocli.CommandLine.Mixin TargetOption target = new TargetOption();

  @Option(
      names = "--prefix",
      description = "With --target aws: the prefix the stack was deployed with.")
  String prefix;

  @Option(
      names = "--watch",
      arity = "0..1",
      fallbackValue = "2",
      paramLabel = "SECONDS",
      description =
          "Print the status again every SECONDS (2 when not given) until Ctrl-C; with --json, one"
              + " JSON document per line.")
  Integer watch;

  StatusCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (watch != null) {
      return watch(out);
    }
    try {
      return status(out);
    } catch (ConfigException e) {
      if (json) {
        // Scripts read standard output: it stays JSON, and says what went wrong.
        com.fasterxml.jackson.databind.node.ObjectNode error =
            new ObjectMapper().createObjectNode();
        error.put("running", false);
        error.put("error", e.getMessage());
        out.println(error);
        out.flush();
      }
      throw e;
    }
  }

  /**
   * The status every {@link #watch} seconds until the process is stopped. A round that fails (the
   * local cloud stopped, say) prints its one line and the watch goes on: the next round may find it
   * again.
   */
  private int watch(PrintWriter out) throws IOException, InterruptedException {
    if (watch < 1 || watch > 3600) {
      throw new ConfigException("--watch must be 1..3600 seconds, was " + watch);
    }
    String lastError = null;
    while (true) {
      if (!json) {
        out.printf(
            "--- %s ---%n",
            java.time.LocalTime.now()
                .withNano(0)
                .format(java.time.format.DateTimeFormatter.ISO_LOCAL_TIME));
      }
      try {
        status(out);
        lastError = null;
      } catch (ConfigException e) {
        if (!e.getMessage().equals(lastError)) {
          out.println("surge: " + e.getMessage());
        }
        lastError = e.getMessage();
      }
      out.flush();
      Thread.sleep(watch * 1000L);
    }
  }

  private int status(PrintWriter out) throws IOException, InterruptedException {
    if (target.target == TargetOption.Target.aws) {
      return aws(out);
    }
    URI api = URI.create("http://127.0.0.1:" + dashboardPort + "/api/snapshot");
    Optional<JsonNode> snapshot = fetch(api);
    if (snapshot.isPresent()) {
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        if (watch == null) {
          mapper.enable(SerializationFeature.INDENT_OUTPUT); // one document; a watch: one a line
        }
        out.println(mapper.writeValueAsString(snapshot.get()));
      } else {
        print(out, snapshot.get());
      }
      return 0;
    }
    return direct(out, api);
  }

  // The deployed stack: SQS, CloudWatch, ECS and DynamoDB, read once.
  private int aws(PrintWriter out) {
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    dev.surge.watch.StackOutputs outputs =
        new dev.surge.demo.AwsDemo(clients, java.time.Clock.systemUTC()).outputs(prefix);
    try (dev.surge.watch.ServiceClients services = dev.surge.watch.ServiceClients.build(clients)) {
      dev.surge.watch.AwsStatus status =
          dev.surge.watch.AwsStatus.read(outputs, services, java.time.Clock.systemUTC());
      if (json) {
        out.println(status.toJson());
      } else {
        status.print(out);
      }
    }
    return 0;
  }

  private static Optional<JsonNode> fetch(URI api) {
    try {
      PlainHttp.Response r = PlainHttp.get(api, Duration.ofSeconds(5));
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(new ObjectMapper().readTree(r.text()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  // Without the control plane, the queue and table still answer (e.g. the user's own endpoints).
  private int direct(PrintWriter out, URI api) {
    ResourceNames names = ResourceNames.seed();
    AwsTarget target = AwsTarget.local(new Env(env));
    AwsClients clients = new AwsClients(target, 2, List.of());
    String endpoint = target.endpoint("SQS").map(Object::toString).orElse("?");
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      String url;
      String dlq;
      try {
        url = SqsQueues.resolveUrl(sqs, names.queue(), endpoint);
        dlq = SqsQueues.resolveUrl(sqs, names.deadLetterQueue(), endpoint);
      } catch (ConfigException e) {
        throw new ConfigException(
            "nothing is running: no dashboard at " + api + " and " + e.getMessage());
      }
      QueueDepth depth = new SqsBacklogProbe(sqs, url).depth();
      QueueDepth dead = new SqsBacklogProbe(sqs, dlq).depth();
      long items =
          new PipelineMonitor(
                  sqs,
                  url,
                  dlq,
                  dynamodb,
                  names.table(),
                  new dev.surge.core.observe.EventLog(1),
                  java.time.Clock.systemUTC())
              .countItems();
      if (json) {
        out.printf(
            Locale.ROOT,
            "{\"queue\":{\"visible\":%d,\"inFlight\":%d,\"delayed\":%d,\"deadLetters\":%d},"
                + "\"items\":%d,\"alarm\":null,\"tasks\":null}%n",
            depth.visible(),
            depth.inFlight(),
            depth.delayed(),
            dead.visible() + dead.inFlight(),
            items);
      } else {
        out.printf(
            "queue %s: %d visible, %d in flight, %d delayed; dead-letter queue %d%n",
            names.queue(),
            depth.visible(),
            depth.inFlight(),
            depth.delayed(),
            dead.visible() + dead.inFlight());
        out.printf("table %s: %d items%n", names.table(), items);
        out.printf(
            "alarm and tasks: unknown (no dashboard at %s; is 'surge up' running with its"
                + " dashboard?)%n",
            api);
      }
      return 0;
    } catch (SdkException e) {
      throw new ConfigException(
          "nothing is running: no dashboard at "
              + api
              + ", and the queue at "
              + endpoint
              + " does not answer ("
              + e.getMessage()
              + "); start the local cloud with './surge up'",
          e);
    }
  }

  private static void print(PrintWriter out, JsonNode s) {
    JsonNode q = s.path("queue");
    JsonNode res = s.path("resources");
    out.printf(
        "queue %s: %d visible, %d in flight, %d delayed; dead-letter queue %d%n",
        res.path("queue").asText(),
        q.path("visible").asLong(),
        q.path("inFlight").asLong(),
        q.path("delayed").asLong(),
        q.path("deadLetters").asLong());
    JsonNode a = s.path("alarm");
    out.printf(
        "alarm %s: %s (fires above %s visible)%s%n",
        a.path("name").asText(),
        a.path("state").asText(),
        a.path("threshold").isNull() ? "?" : Long.toString(a.path("threshold").asLong()),
        a.path("changedAt").isNull() ? "" : " since " + a.path("changedAt").asText());
    JsonNode n = s.path("notifications");
    out.printf(
        "topic %s: %d notifications delivered, %d failed%n",
        res.path("topic").asText(), n.path("delivered").asLong(), n.path("failed").asLong());
    JsonNode t = s.path("lastTrigger");
    if (!t.isNull() && !t.isMissingNode()) {
      out.printf(
          "function %s: last decision %s (%s): backlog %d, running %d, started %d%n",
          res.path("function").asText(),
          t.path("action").asText(),
          t.path("cause").asText(),
          t.path("backlog").asLong(),
          t.path("running").asLong(),
          t.path("started").asLong());
    }
    JsonNode by = s.path("tasksByState");
    out.printf(
        "tasks: %d provisioning, %d running, %d stopped%n",
        by.path("PROVISIONING").asLong(), by.path("RUNNING").asLong(), by.path("STOPPED").asLong());
    for (JsonNode task : s.path("tasks")) {
      out.printf(
          "  %-12s %-12s %s%s%n",
          task.path("id").asText(),
          task.path("state").asText(),
          task.path("exitCode").isNull() ? "" : "exit " + task.path("exitCode").asInt() + "  ",
          task.path("itemsWritten").asLong() > 0
              ? task.path("itemsWritten").asLong() + " items"
              : "");
    }
    out.printf(
        "table %s: %d items%s%n",
        res.path("table").asText(),
        s.path("items").asLong(),
        s.path("produced").asLong() > 0 ? " (" + s.path("produced").asLong() + " produced)" : "");
  }
}
