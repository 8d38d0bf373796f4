package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.standins.aws.AwsCliHost;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** The packaged {@code surge.jar}, run as a user runs it. */
@Execution(ExecutionMode.CONCURRENT) // each test has its own ports, folders and state directory
class CliIT {
  private static final Path JAR = Path.of("target", "surge.jar");

  @TempDir Path dir;

  private static ProcessBuilder surge(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(SurgeJar.command());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    pb.environment().putAll(env);
    return pb;
  }

  private String run(Map<String, String> env, int expectedExit, String... args)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "surge", ".log");
    Process p = surge(env, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("surge %s finished", List.of(args)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isEqualTo(expectedExit);
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A running {@code surge up}, its printed variables, and the processes it started. */
  private record Up(
      Process process, Map<String, String> exports, List<ProcessHandle> children, Path log)
      implements AutoCloseable {
    @Override
    public void close()
        throws IOException,
            java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
      process.destroy(); // SIGTERM, as Ctrl-C would
      try {
        awaitExit();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping surge up", e);
      }
    }

    private void awaitExit()
        throws InterruptedException,
            java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      // surge up stopped everything it started with it: dynalite and any worker.
      process.toHandle().descendants().forEach(children::add);
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.isAlive()).as("child %d of surge up", child.pid()).isFalse();
      }
    }
  }

  private Up up(int sqsPort, int ddbPort, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--sqs-port",
                "" + sqsPort,
                "--dynamodb-port",
                "" + ddbPort,
                "--aws-port",
                "" + freePort()));
    args.addAll(List.of(extra));
    Path log = Files.createTempFile(dir, "up", ".log");
    Process up =
        surge(Map.of(), args.toArray(String[]::new))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Map<String, String> exports = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("Then, for example") && System.nanoTime() < deadline) {
      assertThat(up.isAlive()).as(Files.readString(log)).isTrue();
      sleep(100);
    }
    for (String line : Files.readAllLines(log)) {
      line = line.trim();
      if (line.startsWith("export ")) {
        String[] kv = line.substring(7).split("=", 2);
        exports.put(kv[0], kv[1]);
      }
    }
    List<ProcessHandle> children = new ArrayList<>();
    up.toHandle().descendants().forEach(children::add);
    return new Up(up, exports, children, log);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long items(Map<String, String> exports) {
    AwsTarget target =
        AwsTarget.local(
            URI.create(exports.get("AWS_ENDPOINT_URL_SQS")),
            URI.create(exports.get("AWS_ENDPOINT_URL_DYNAMODB")));
    try (DynamoDbClient ddb =
        new AwsClients(target, 2, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
      return ddb.scan(b -> b.tableName("fasttracksaa").select(Select.COUNT)).count();
    }
  }

  /** A tool of another maker run with only {@code env} (and the PATH), as a user's shell would. */
  private static ToolRun tool(Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    pb.environment().putAll(env);
    // Nothing from this machine's own AWS configuration.
    pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    if (command.get(0).equals(aws())) {
      // The aws CLI's commands share one interpreter (AwsCliHost); its output interleaved as a
      // terminal shows it.
      AwsCliHost.Run run = awsCli.run(pb.environment(), command.subList(1, command.size()), 120);
      return new ToolRun(run.exit(), run.out() + run.err());
    }
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new ToolRun(p.exitValue(), out);
  }

  private record ToolRun(int exit, String output) {}

  private static AwsCliHost awsCli;

  @BeforeAll
  static void startAwsCli() {
    awsCli = AwsCliHost.start(Path.of("target", "aws-cli-host").toAbsolutePath());
  }

  @AfterAll
  static void stopAwsCli() {
    awsCli.close();
  }

  private static String aws() {
    return dev.surge.standins.aws.AwsCli.executable().toString();
  }

  /**
   * Scripts and aws CLI lines written for real SQS and DynamoDB run unchanged against {@code up}
   * (they add to the seed's table), then {@code up} is stopped with messages still waiting.
   */
  private void scriptsWrittenForRealSqsAndDynamoDbRunUnchangedAgainstUp(Up up) throws Exception {
    Map<String, String> exports = up.exports();
    assertThat(exports).containsEntry("AWS_DEFAULT_REGION", "us-east-1");
    ToolRun script =
        tool(
            exports,
            List.of(
                dev.surge.standins.aws.PinnedPython.interpreter().toString(),
                Path.of("src", "test", "resources", "parity", "tutorial_idioms.py").toString()));
    assertThat(script.exit()).as(script.output()).isZero();
    assertThat(script.output())
        .contains(
            "ok receive-loop-stops",
            "ok empty-receive-keyerror",
            "ok queue-attributes-all",
            "ok missing-queue",
            "ok table-put-get",
            "ok missing-table",
            "ok unserved-service");

    // The aws CLI (v1 forces SQS's public endpoint, so its SQS lines name --endpoint-url).
    String sqs = exports.get("AWS_ENDPOINT_URL_SQS");
    ToolRun created =
        tool(
            exports,
            List.of(aws(), "sqs", "create-queue", "--endpoint-url", sqs, "--queue-name", "cli-q"));
    assertThat(created.exit()).as(created.output()).isZero();
    String url = new ObjectMapper().readTree(created.output()).get("QueueUrl").asText();
    assertThat(url).isEqualTo(sqs + "/000000000000/cli-q");
    ToolRun empty =
        tool(
            exports,
            List.of(aws(), "sqs", "receive-message", "--endpoint-url", sqs, "--queue-url", url));
    assertThat(empty.exit()).as(empty.output()).isZero();
    assertThat(empty.output()).as("an empty receive prints nothing, as against SQS").isBlank();
    ToolRun missing =
        tool(
            exports,
            List.of(aws(), "sqs", "get-queue-url", "--endpoint-url", sqs, "--queue-name", "nope"));
    assertThat(missing.exit()).isNotZero();
    // SQS's own code for it, as against SQS (ElasticMQ alone would say QueueDoesNotExist).
    assertThat(missing.output()).contains("AWS.SimpleQueueService.NonExistentQueue");
    ToolRun count =
        tool(
            exports,
            List.of(
                aws(), "dynamodb", "scan", "--table-name", "fasttracksaa", "--select", "COUNT"));
    assertThat(count.exit()).as(count.output()).isZero();
    assertThat(new ObjectMapper().readTree(count.output()).has("Count")).isTrue();

    // surge produce: one message of the user's choice, or the seed's one call per message.
    assertThat(run(exports, 0, "produce", "--queue", "cli-q", "--body", "hello from a user"))
        .contains("sent 1 message to cli-q (MessageId ");
    assertThat(run(exports, 0, "produce", "--queue", "cli-q", "--one-per-call", "--messages", "5"))
        .contains("sent 5 messages to cli-q", "5 SendMessage requests");
    assertThat(run(exports, 2, "produce", "--queue", "cli-q", "--body", "x", "--messages", "3"))
        .contains("--body sends one message");
    ToolRun depth =
        tool(
            exports,
            List.of(
                aws(),
                "sqs",
                "get-queue-attributes",
                "--endpoint-url",
                sqs,
                "--queue-url",
                url,
                "--attribute-names",
                "ApproximateNumberOfMessages"));
    assertThat(
            new ObjectMapper()
                .readTree(depth.output())
                .at("/Attributes/ApproximateNumberOfMessages")
                .asText())
        .isEqualTo("6");
    ToolRun first =
        tool(
            exports,
            List.of(aws(), "sqs", "receive-message", "--endpoint-url", sqs, "--queue-url", url));
    assertThat(first.output()).contains("\"Body\": \"hello from a user\"");

    // Messages still waiting when it stops go with the in-memory queue: it says so.
    String seedQueue = sqs + "/000000000000/demo-decoupling-saa";
    for (int i = 0; i < 3; i++) {
      ToolRun later =
          tool(
              exports,
              List.of(
                  aws(),
                  "sqs",
                  "send-message",
                  "--endpoint-url",
                  sqs,
                  "--queue-url",
                  seedQueue,
                  "--message-body",
                  "later-" + i,
                  "--delay-seconds",
                  "900"));
      assertThat(later.exit()).as(later.output()).isZero();
    }
    up.process().destroy(); // SIGTERM, as Ctrl-C would
    assertThat(up.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(up.log()))
        .contains(
            "stopping: 3 message(s) still waiting in demo-decoupling-saa and 0 in the"
                + " dead-letter queue");
  }

  @Test
  void oneUpSessionServesProduceAndWorkThenScriptsWrittenForRealAws() throws Exception {
    int sqsPort = freePort();
    int ddbPort = freePort();
    // The alarm out of reach, and its period (the reconciler's too) past the test's end: only the
    // worker started by hand drains the queue. (The reconciler starts a task for any backlog with
    // no task running, so with the default period a tick could take some messages first.)
    try (Up up =
        up(
            sqsPort,
            ddbPort,
            "--threshold",
            "1000000",
            "--alarm-period",
            "600",
            "--dashboard-port",
            "0")) {
      assertThat(up.children()).as("surge up runs dynalite as its child").isNotEmpty();
      assertThat(up.exports())
          .containsEntry("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + sqsPort)
          .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + ddbPort)
          .containsKeys(
              "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

      String produced = run(up.exports(), 0, "produce");
      assertThat(produced).contains("sent 1100 of 1100 messages");

      Map<String, String> work = new HashMap<>(up.exports());
      work.put("SURGE_IDLE_SECONDS", "2");
      work.put("SURGE_POLL_WAIT_SECONDS", "1");
      String worked = run(work, 0, "work");
      assertThat(worked)
          .contains("drained: 1100 received, 1100 written and deleted")
          .doesNotContain(WorkerRunner.SUMMARY_PREFIX.strip())
          .doesNotContain(WorkerRunner.READY_PREFIX.strip());
      assertThat(items(up.exports())).isEqualTo(1100);

      // The same session (one, not two): the alarm out of reach lets nothing react to them.
      scriptsWrittenForRealSqsAndDynamoDbRunUnchangedAgainstUp(up);
    }
  }

  @Test
  void upReactsToMessagesProducedFromOutsideAndStatusShowsIt() throws Exception {
    int dashboard = freePort();
    try (Up up =
        up(
            freePort(),
            freePort(),
            "--alarm-period",
            "1",
            "--idle",
            "2",
            // Two tasks at most (four would start): what status shows is the point, not the fleet.
            "--max-tasks",
            "2",
            "--dashboard-port",
            "" + dashboard)) {
      assertThat(run(up.exports(), 0, "produce")).contains("sent 1100 of 1100 messages");
      // Waited for on the page's API from here (a JVM a second for `surge status` would cost the
      // suite more CPU than the burst), then read with the command.
      awaitSnapshot(dashboard, s -> s.path("summary").path("produced").asLong() == 1100);
      String status = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        status = run(Map.of(), 0, "status", "--dashboard-port", "" + dashboard);
        if (status.contains("table fasttracksaa: 1100 items")
            && status.contains("0 provisioning, 0 running")) {
          break;
        }
        sleep(1000);
      }
      // --watch prints it again every second until stopped.
      Path watched = Files.createTempFile(dir, "watch", ".log");
      Process watch =
          surge(Map.of(), "status", "--watch", "1", "--dashboard-port", "" + dashboard)
              .redirectErrorStream(true)
              .redirectOutput(watched.toFile())
              .start();
      long watchDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Files.readString(watched).split("table fasttracksaa: ", -1).length < 4
          && System.nanoTime() < watchDeadline) {
        assertThat(watch.isAlive()).as(Files.readString(watched)).isTrue();
        sleep(200);
      }
      watch.destroy();
      assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(watched).split("--- ", -1).length - 1)
          .as(Files.readString(watched))
          .isGreaterThanOrEqualTo(3);
      assertThat(Files.readString(watched).split("table fasttracksaa: ", -1).length - 1)
          .isGreaterThanOrEqualTo(3);
      assertThat(status)
          .contains("table fasttracksaa: 1100 items")
          .contains("topic fasttrack-saa: 1 notifications delivered")
          .contains("0 provisioning, 0 running")
          .containsPattern("task-0001 +STOPPED +exit 0");
      assertThat(items(up.exports())).isEqualTo(1100);

      // The producer was another process: the arrivals still count, and the burst has a summary.
      JsonNode json = awaitSummary(dashboard, 1100);
      assertThat(json.get("produced").asLong()).isEqualTo(1100);
      assertThat(json.get("summary").get("inTable").asLong()).isEqualTo(1100);
      assertThat(json.get("summary").get("unaccounted").asLong()).isZero();
      // The same session read as a deployed stack at the one endpoint (one session, not two).
      statusAgainstAwsAtTheLocalEndpointShowsTheLocalChain(up);
      // A second burst gets a summary of its own, counting only its messages.
      assertThat(run(up.exports(), 0, "produce", "--count", "500")).contains("sent 500 of 500");
      JsonNode second = awaitSummary(dashboard, 500);
      assertThat(second.get("produced").asLong()).isEqualTo(1600);
      assertThat(second.get("summary").get("inTable").asLong()).isEqualTo(500);
      assertThat(second.get("summary").get("success").asBoolean()).isTrue();
      // Its alarm times are its own alarm's, not the first burst's: first send, then ALARM, then
      // the first item, all within the burst's drain.
      JsonNode s = second.get("summary");
      assertThat(s.get("timeToAlarmMillis").asLong()).as(s.toString()).isNotNegative();
      assertThat(s.get("timeToAlarmMillis").asLong() + s.get("alarmToFirstItemMillis").asLong())
          .as(s.toString())
          .isBetween(0L, s.get("drainMillis").asLong());
      assertThat(Files.readString(up.log()))
          .contains("A burst of 1100 message(s) is done")
          .contains("A burst of 500 message(s) is done");
    }
  }

  /**
   * {@code status --target aws} with only {@code AWS_ENDPOINT_URL} (as a deployed stack's tools
   * would be pointed at LocalStack) reads the local chain of {@code up}, whose first burst of 1100
   * has drained; the aws CLI reads the same stack, and a web page reads nothing of it.
   */
  private void statusAgainstAwsAtTheLocalEndpointShowsTheLocalChain(Up up) throws Exception {
    // Only the one endpoint, as a deployed stack's tools would be pointed at LocalStack.
    Map<String, String> aws = new HashMap<>();
    for (String k :
        List.of(
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY")) {
      aws.put(k, up.exports().get(k));
    }
    String status = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      status = run(aws, 0, "status", "--target", "aws");
      if (status.contains("table  fasttracksaa: 1100 item(s)")
          && status.contains("0 provisioning, 0 running")) {
        break;
      }
      sleep(1000);
    }
    // The stack's outputs name the local resources; each part is read from the local chain.
    assertThat(status)
        .contains("stack  Surge in us-east-1 (CREATE_COMPLETE)")
        .contains("queue  demo-decoupling-saa: 0 visible, 0 in flight, 0 delayed (backlog 0)")
        .contains("dlq    demo-decoupling-saa-dlq: 0 message(s)")
        .contains("alarm  fasttrack-saa-backlog: ")
        .contains("(threshold 100)")
        .containsPattern("STOPPED +task-0001, created [^,]+, stopped [^,]+, exit 0")
        .contains("table  fasttracksaa: 1100 item(s)");
    JsonNode json = new ObjectMapper().readTree(run(aws, 0, "status", "--target", "aws", "--json"));
    assertThat(json.path("stack").path("name").asText()).isEqualTo("Surge");
    assertThat(json.path("table").path("items").asLong()).isEqualTo(1100);
    assertThat(json.path("tasks").path("stopped").size()).isPositive();

    // The aws CLI reads the same stack; another stack and another operation are refused as
    // CloudFormation refuses them.
    ToolRun outputs =
        tool(
            aws,
            List.of(
                aws(),
                "cloudformation",
                "describe-stacks",
                "--stack-name",
                "Surge",
                "--query",
                "Stacks[0].[StackStatus, Outputs[?OutputKey==`QueueUrl`].OutputValue | [0]]",
                "--output",
                "text"));
    assertThat(outputs.exit()).as(outputs.output()).isZero();
    assertThat(outputs.output().strip())
        .isEqualTo(
            "CREATE_COMPLETE\t"
                + up.exports().get("AWS_ENDPOINT_URL_SQS")
                + "/000000000000/demo-decoupling-saa");
    ToolRun other =
        tool(aws, List.of(aws(), "cloudformation", "describe-stacks", "--stack-name", "Other"));
    assertThat(other.exit()).as(other.output()).isNotZero();
    assertThat(other.output())
        .contains("(ValidationError)")
        .contains("Stack with id Other does not exist");
    ToolRun delete =
        tool(aws, List.of(aws(), "cloudformation", "delete-stack", "--stack-name", "Surge"));
    assertThat(delete.exit()).as(delete.output()).isNotZero();
    assertThat(delete.output())
        .contains("(InvalidAction)")
        .contains("'DeleteStack' is not served by the local cloud's CloudFormation");
    // A web page reads nothing of it: a cross-site request is refused before CloudFormation.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String form = "Action=DescribeStacks&Version=2010-05-15&StackName=Surge";
    java.net.http.HttpRequest.Builder post =
        java.net.http.HttpRequest.newBuilder(URI.create(up.exports().get("AWS_ENDPOINT_URL")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
    var plain = http.send(post.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(plain.body()).contains("<StackName>Surge</StackName>");
    var forged =
        http.send(
            post.header("Origin", "https://example.com").build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).doesNotContain("Surge");
  }

  /** {@code status --json} once the latest run summary is of a burst of {@code produced}. */
  private JsonNode awaitSummary(int dashboard, long produced) throws Exception {
    awaitSnapshot(dashboard, s -> s.path("summary").path("produced").asLong() == produced);
    String out = run(Map.of(), 0, "status", "--json", "--dashboard-port", "" + dashboard);
    JsonNode json = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    assertThat(json.path("summary").path("produced").asLong()).as(out).isEqualTo(produced);
    return json;
  }

  /** Reads the page's {@code /api/snapshot}, which {@code status} prints, until it holds. */
  private static void awaitSnapshot(int dashboard, Predicate<JsonNode> holds) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard + "/api/snapshot"))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
      if (holds.test(new ObjectMapper().readTree(last))) {
        return;
      }
      sleep(500);
    }
    throw new AssertionError("the snapshot never held: " + last);
  }

  @Test
  void workAgainstAMissingQueueExitsTwoAndSaysWhatToDo() throws Exception {
    String out =
        run(
            Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + freePort()),
            2,
            "work",
            "--queue",
            "nope");
    assertThat(out).contains("SQS is not reachable at http://127.0.0.1:").contains("surge up");
  }

  @Test
  void deployWithoutCredentialsSaysHowToProvideThemAndExitsTwo() throws Exception {
    String out =
        run(
            Map.of(
                "AWS_REGION",
                "us-east-1",
                "AWS_CONFIG_FILE",
                dir.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("none").toString(),
                "AWS_EC2_METADATA_DISABLED",
                "true"),
            2,
            "deploy");
    assertThat(out).contains("no usable AWS credentials").contains("AWS_PROFILE");
  }

  @Test
  void demoAndStatusAgainstAwsWithoutCredentialsSayHowToProvideThem() throws Exception {
    Map<String, String> noCredentials =
        Map.of(
            "AWS_REGION",
            "us-east-1",
            "AWS_CONFIG_FILE",
            dir.resolve("none").toString(),
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.resolve("none").toString(),
            "AWS_EC2_METADATA_DISABLED",
            "true");
    assertThat(run(noCredentials, 2, "demo", "--target", "aws"))
        .contains("no usable AWS credentials");
    assertThat(run(noCredentials, 2, "status", "--target", "aws"))
        .contains("no usable AWS credentials");
  }

  @Test
  void deployDryRunWritesTheTemplateWithoutCredentials() throws Exception {
    String out =
        run(
            Map.of(
                "AWS_CONFIG_FILE",
                dir.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("none").toString(),
                "AWS_EC2_METADATA_DISABLED",
                "true",
                // the CDK's check at synth: off, as in AwsTargetIT
                "CDK_VALIDATION",
                "false"),
            0,
            "deploy",
            "--dry-run",
            "--skip-build");
    assertThat(out).contains("Template written:").contains("AWS::Lambda::Function");
    Path template = Path.of("..", "infra", "cdk.out", "Surge.template.json");
    assertThat(Files.readString(template))
        .contains("fasttracksaa")
        .contains("FastTrack-Saa-Sqs-demo");
  }

  @Test
  void upWithItsDashboardPortTakenSaysSoAndStopsWhatItStarted() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String out =
          run(
              Map.of(),
              2,
              "up",
              "--sqs-port",
              "" + freePort(),
              "--dynamodb-port",
              "" + freePort(),
              "--aws-port",
              "" + freePort(),
              "--dashboard-port",
              "" + taken.getLocalPort());
      assertThat(out)
          .contains("127.0.0.1:" + taken.getLocalPort() + " is already in use")
          .contains("--dashboard-port")
          .doesNotContain("Exception");
    }
  }

  @Test
  void sigtermDuringADemoStopsInOrderWithinSecondsAndSumsUp() throws Exception {
    Path log = Files.createTempFile(dir, "demo", ".log");
    Path logs = dir.resolve("task-logs");
    Process demo =
        surge(
                Map.of(),
                "demo",
                "--messages",
                "30000",
                // still producing when the signal comes, without thousands of messages first
                "--rate",
                "100",
                // three tasks show the stop as well as ten, and start sooner on a busy machine
                "--max-tasks",
                "3",
                "--no-dashboard",
                "--logs",
                logs.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains(": RUNNING") && System.nanoTime() < deadline) {
      assertThat(demo.isAlive()).as(Files.readString(log)).isTrue();
      sleep(100);
    }
    List<ProcessHandle> children = new ArrayList<>();
    demo.toHandle().descendants().forEach(children::add);
    long t0 = System.nanoTime();
    demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT takes the same path
    assertThat(demo.waitFor(40, TimeUnit.SECONDS)).as("stopped").isTrue();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    String out = Files.readString(log);
    assertThat(out)
        .contains("stopping: the producer and the reconciler, then the tasks")
        .contains("stopped before the end; what ran so far:")
        .contains("left in the queue")
        .contains("(every message accounted for)");
    assertThat(millis).as("stop took %d ms", millis).isLessThan(30_000);
    for (ProcessHandle child : children) {
      child.onExit().get(30, TimeUnit.SECONDS);
    }
    // The stand-ins outlived the workers: no worker lost its connection while finishing.
    try (var files = Files.list(logs)) {
      for (Path task : files.toList()) {
        assertThat(Files.readString(task)).as(task.toString()).doesNotContain("Connection refused");
      }
    }
  }

  @Test
  void upDetachedRunsInTheBackgroundUntilStopAndShowsItsLogs() throws Exception {
    Map<String, String> state = Map.of("SURGE_STATE_DIR", dir.resolve("state").toString());
    int sqs = freePort();
    int ddb = freePort();
    String started =
        run(
            state,
            0,
            "up",
            "--detach",
            "--sqs-port",
            "" + sqs,
            "--dynamodb-port",
            "" + ddb,
            "--aws-port",
            "" + freePort(),
            "--no-dashboard",
            "--idle",
            "2");
    assertThat(started)
        .contains("export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:" + sqs)
        .contains("Detached (pid");
    long pid = Long.parseLong(started.replaceAll("(?s).*Detached \\(pid (\\d+)\\).*", "$1"));
    ProcessHandle up = ProcessHandle.of(pid).orElseThrow();
    List<Process> followers = new ArrayList<>();
    try {
      assertThat(up.isAlive()).isTrue();
      // It runs on the JVM options of the command that started it, as a user's SURGE_JAVA_OPTS.
      assertThat(up.info().arguments().map(List::of).orElseThrow())
          .containsAll(List.of(SurgeJar.FLAGS.split(" ")));
      List<ProcessHandle> children = up.descendants().toList();
      assertThat(children).as("dynalite runs under the detached cloud").isNotEmpty();
      // A second one is refused while the first runs.
      assertThat(run(state, 2, "up", "--detach", "--no-dashboard"))
          .contains("a detached 'surge up' is already running (pid " + pid + ")");
      // logs -f: what is there, then each line as it comes, until the cloud stops.
      Path followed = Files.createTempFile(dir, "follow", ".log");
      Process follow =
          surge(state, "logs", "-f")
              .redirectErrorStream(true)
              .redirectOutput(followed.toFile())
              .start();
      followers.add(follow);
      Map<String, String> exports = new HashMap<>(state);
      exports.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + sqs);
      exports.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + ddb);
      assertThat(run(exports, 0, "produce", "--count", "300")).contains("sent 300 of 300");
      // A task's log, followed while the task runs (or from its end, if it was quicker): it ends
      // by itself once the task has stopped.
      Path taskLog = awaitTaskLog(state, "task-0001");
      Path followedTask = Files.createTempFile(dir, "follow-task", ".log");
      Process followTask =
          surge(state, "logs", "--follow", "task-0001")
              .redirectErrorStream(true)
              .redirectOutput(followedTask.toFile())
              .start();
      followers.add(followTask);
      awaitIn(followed, follow, "A burst of 300 message(s) is done");
      assertThat(Files.readString(followed))
          .as("the lines came in the order the cloud printed them")
          .contains("Local cloud is up")
          .containsPattern("(?s)task task-0001: RUNNING.*A burst of 300 message\\(s\\) is done");
      assertThat(followTask.waitFor(60, TimeUnit.SECONDS))
          .as("logs -f task-0001 ended with its task: %s", Files.readString(followedTask))
          .isTrue();
      assertThat(followTask.exitValue()).isZero();
      assertThat(Files.readString(followedTask))
          .contains("queue drained")
          .isEqualTo(Files.readString(taskLog));

      String logs = run(state, 0, "logs");
      assertThat(logs).contains("A burst of 300 message(s) is done").contains("task task-0001");
      assertThat(run(state, 0, "logs", "task-0001")).contains("queue drained");
      assertThat(run(state, 2, "logs", "task-9999")).contains("no log for task-9999");
      // -f changes no error: one line, exit 2.
      assertThat(run(state, 2, "logs", "-f", "task-9999").lines().toList())
          .singleElement()
          .asString()
          .startsWith("surge: no log for task-9999");

      // purge between runs: the table's 300 items, and nothing else, are gone.
      assertThat(run(exports, 0, "purge").trim())
          .isEqualTo("purged: queue 0 message(s), dead-letter queue 0, table 300 item(s)");
      assertThat(items(exports)).isZero();
      // Messages waiting (delayed, so that no task takes them first) purged: the burst they made
      // ends with a summary that counts them as purged, not lost.
      sendDelayed(exports, 40);
      assertThat(run(exports, 0, "purge").trim())
          .isEqualTo("purged: queue 40 message(s), dead-letter queue 0, table 0 item(s)");
      assertThat(run(exports, 0, "status", "--dashboard-port", "" + freePort()).lines().toList())
          .contains(
              "queue demo-decoupling-saa: 0 visible, 0 in flight, 0 delayed; dead-letter queue 0",
              "table fasttracksaa: 0 items");
      awaitIn(followed, follow, "A burst of 40 message(s) is done");
      String summary =
          awaitIn(followed, follow, "API requests per message")
              .substring(Files.readString(followed).indexOf("A burst of 40 message(s) is done"));
      assertThat(summary)
          .containsPattern("produced +40")
          .containsPattern("purged +40")
          .containsPattern("unaccounted +0 +\\(every message accounted for\\)")
          .doesNotContain("LOST");
      assertThat(Files.readString(followed))
          .contains("queue demo-decoupling-saa purged: 40 message(s) waiting removed");

      assertThat(run(state, 0, "stop")).contains("stopped the local cloud (pid " + pid + ")");
      assertThat(up.isAlive()).isFalse();
      // logs -f ends by itself once the cloud has exited, with everything it printed.
      assertThat(follow.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(followed)).isTrue();
      assertThat(follow.exitValue()).isZero();
      assertThat(Files.readString(followed)).isEqualTo(Files.readString(upLog(state)));
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      up.destroy(); // a failed assertion leaves nothing running
      followers.forEach(Process::destroy);
    }
    assertThat(run(state, 2, "stop")).contains("no detached 'surge up' is running");
    // With the cloud gone, logs -f prints its output and ends at once.
    assertThat(run(state, 0, "logs", "-f")).contains("A burst of 40 message(s) is done");
    assertThat(
            run(Map.of("SURGE_STATE_DIR", dir.resolve("none").toString()), 2, "logs", "-f")
                .lines()
                .toList())
        .singleElement()
        .asString()
        .startsWith("surge: no output of a detached 'surge up'");
  }

  /**
   * Sends {@code n} messages through the SQS endpoint of {@code exports}, each delayed by a minute:
   * they wait in the queue, seen by no task.
   */
  private static void sendDelayed(Map<String, String> exports, int n) {
    AwsTarget target =
        AwsTarget.local(
            URI.create(exports.get("AWS_ENDPOINT_URL_SQS")),
            URI.create(exports.get("AWS_ENDPOINT_URL_DYNAMODB")));
    try (software.amazon.awssdk.services.sqs.SqsClient sqs =
        new AwsClients(target, 2, List.of())
            .build(software.amazon.awssdk.services.sqs.SqsClient.builder(), "SQS")) {
      String url = sqs.getQueueUrl(b -> b.queueName("demo-decoupling-saa")).queueUrl();
      for (int i = 0; i < n; i++) {
        String body = "delayed-" + i;
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).delaySeconds(60));
      }
    }
  }

  /** The detached cloud's output file under {@code state}. */
  private static Path upLog(Map<String, String> state) {
    return Path.of(state.get("SURGE_STATE_DIR"), "up.log");
  }

  /** The log of {@code task} of the detached cloud, once it exists. */
  private static Path awaitTaskLog(Map<String, String> state, String task) throws IOException {
    Path upLog = upLog(state);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(upLog)) {
        int at = line.indexOf("(logs in ");
        if (at >= 0 && line.endsWith(")")) {
          Path log =
              Path.of(line.substring(at + "(logs in ".length(), line.length() - 1), task + ".log");
          if (Files.exists(log)) {
            return log;
          }
        }
      }
      sleep(100);
    }
    throw new AssertionError("no log of " + task + ": " + Files.readString(upLog));
  }

  /** The text of {@code file} once it contains {@code text}, written while {@code writer} runs. */
  private static String awaitIn(Path file, Process writer, String text) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(file).contains(text) && System.nanoTime() < deadline) {
      assertThat(writer.isAlive()).as("still following: %s", Files.readString(file)).isTrue();
      sleep(100);
    }
    assertThat(Files.readString(file)).contains(text);
    return Files.readString(file);
  }

  @Test
  void versionComesFromTheBuild() throws Exception {
    assertThat(run(Map.of(), 0, "--version").trim()).matches("surge \\d+\\.\\d+\\.\\d+.*");
  }
}
