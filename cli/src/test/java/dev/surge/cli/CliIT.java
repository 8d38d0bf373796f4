package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** The packaged {@code surge.jar}, run as a user runs it. */
class CliIT {
  private static final Path JAR = Path.of("target", "surge.jar");

  @TempDir Path dir;

  private static ProcessBuilder surge(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
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

  @Test
  void upThenProduceThenWorkDrains1100MessagesIntoTheTable() throws Exception {
    int sqsPort = freePort();
    int ddbPort = freePort();
    Process up =
        surge(Map.of(), "up", "--sqs-port", "" + sqsPort, "--dynamodb-port", "" + ddbPort)
            .redirectErrorStream(true)
            .start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      Map<String, String> exports = new HashMap<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("Then, for example")) {
          line = line.trim();
          if (line.startsWith("export ")) {
            String[] kv = line.substring(7).split("=", 2);
            exports.put(kv[0], kv[1]);
          }
        }
      }
      up.toHandle().descendants().forEach(children::add);
      assertThat(children).as("surge up runs dynalite as its child").isNotEmpty();
      assertThat(exports)
          .containsEntry("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + sqsPort)
          .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + ddbPort)
          .containsKeys("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

      String produced = run(exports, 0, "produce");
      assertThat(produced).contains("sent 1100 of 1100 messages");

      Map<String, String> work = new HashMap<>(exports);
      work.put("SURGE_IDLE_SECONDS", "2");
      work.put("SURGE_POLL_WAIT_SECONDS", "1");
      String worked = run(work, 0, "work");
      assertThat(worked).contains("\"deleted\":1100").contains("DRAINED");

      AwsTarget target =
          AwsTarget.local(
              URI.create(exports.get("AWS_ENDPOINT_URL_SQS")),
              URI.create(exports.get("AWS_ENDPOINT_URL_DYNAMODB")));
      try (DynamoDbClient ddb =
          new AwsClients(target, 2, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
        assertThat(ddb.scan(b -> b.tableName("fasttracksaa").select(Select.COUNT)).count())
            .isEqualTo(1100);
      }
    } finally {
      up.destroy(); // SIGTERM, as Ctrl-C would
      assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // surge up stopped its dynalite child with it.
    for (ProcessHandle child : children) {
      child.onExit().get(10, TimeUnit.SECONDS);
      assertThat(child.isAlive()).as("child %d of surge up", child.pid()).isFalse();
    }
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
                "AWS_CONFIG_FILE", dir.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                "AWS_EC2_METADATA_DISABLED", "true"),
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
  void benchPrintsEveryFigureAsJson() throws Exception {
    String out =
        run(
            Map.of(),
            0,
            "bench",
            "--messages",
            "300",
            "--seed-messages",
            "100",
            "--rounds",
            "1",
            "--json");
    JsonNode json = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    for (String key :
        List.of(
            "workerVsRaw",
            "workerVsSeed",
            "producerVsRaw",
            "requestsPerMessage",
            "workerPeakRssMb",
            "workerPeakHeapMb",
            "rawMsgPerSec",
            "workerMsgPerSec",
            "seedMsgPerSec",
            "producerMsgPerSec",
            "rawProducerMsgPerSec")) {
      assertThat(json.has(key)).as(key).isTrue();
      assertThat(json.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(json.get("requestsPerMessage").asDouble()).isBetween(0.29, 0.5);
  }
}
