package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(StandInsExtension.class)
class StandInsIT {
  private static StandIns standIns;

  @BeforeAll
  static void start(StandIns s) {
    standIns = s;
  }

  @Test
  void bothStandInsServeTheirApiOnLoopbackOnly() {
    assertThat(standIns.sqsEndpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(standIns.dynamoDbEndpoint().getHost()).isEqualTo("127.0.0.1");
    AwsClients clients =
        new AwsClients(
            AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint()), 4, List.of());
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient ddb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      String url = sqs.createQueue(b -> b.queueName("standins-it")).queueUrl();
      assertThat(url).endsWith("/standins-it");
      assertThat(ddb.listTables().tableNames()).isNotNull();
    }
  }

  @Test
  void aTakenPortIsAClearConfigError() {
    int taken = standIns.dynamoDbEndpoint().getPort();
    assertThatThrownBy(() -> DynaliteServer.start("127.0.0.1", taken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("already in use")
        .hasMessageContaining("--dynamodb-port");
    int sqsTaken = standIns.sqsEndpoint().getPort();
    assertThatThrownBy(() -> ElasticMqServer.start("127.0.0.1", sqsTaken, "us-east-1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("already in use")
        .hasMessageContaining("--sqs-port");
  }

  @Test
  void dynaliteDoesNotOutliveAJvmKilledWithSigkill() throws Exception {
    Process jvm = JavaProcess.builder(DynaliteChildMain.class, Map.of()).start();
    long dynalitePid;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("PID "));
      assertThat(line).as("child JVM output").isNotNull();
      dynalitePid = Long.parseLong(line.substring(4).trim());
    }
    Optional<ProcessHandle> dynalite = ProcessHandle.of(dynalitePid);
    assertThat(dynalite).isPresent();
    assertThat(dynalite.get().isAlive()).isTrue();

    jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (dynalite.get().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(dynalite.get().isAlive()).as("dynalite pid %d still alive", dynalitePid).isFalse();
  }

  @Test
  void missingNodeSaysWhatToDoAndNamesTheEscapeHatch() throws Exception {
    Process jvm =
        JavaProcess.builder(DynaliteChildMain.class, Map.of("PATH", "/nonexistent")).start();
    String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).isEqualTo(2);
    assertThat(out).contains("'node' is not on the PATH").contains("AWS_ENDPOINT_URL_DYNAMODB");
  }
}
