package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;
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

  @Test
  void dynaliteKilledFromOutsideIsReportedWithItsSignal() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(DynaliteServer.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try (DynaliteServer dynalite = DynaliteServer.start("127.0.0.1", 0)) {
      ProcessHandle.of(dynalite.pid()).orElseThrow().destroyForcibly();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (seen.list.stream().noneMatch(e -> e.getLevel() == Level.WARN)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      logger.detachAppender(seen);
    }
    assertThat(seen.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains("stopped without being asked to: exit code 137 (signal 9)");
  }

  @Test
  void dynaliteStoppedByItsOwnerIsNotReported() {
    Logger logger = (Logger) LoggerFactory.getLogger(DynaliteServer.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try {
      long pid;
      try (DynaliteServer dynalite = DynaliteServer.start("127.0.0.1", 0)) {
        pid = dynalite.pid();
      }
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
      // The reader sees the end of the child's output after its exit; give it that moment.
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      logger.detachAppender(seen);
    }
    assertThat(seen.list).noneMatch(e -> e.getLevel() == Level.WARN);
  }

  @Test
  void aClientThatHangsUpMidRequestDoesNotStopDynalite() throws Exception {
    // A client killed (or an SDK call interrupted) while sending its body: dynalite's own handler
    // throws the request's "aborted" error, and the process would exit.
    try (DynaliteServer dynalite = DynaliteServer.start("127.0.0.1", 0)) {
      for (int i = 0; i < 3; i++) {
        try (java.net.Socket socket =
            new java.net.Socket("127.0.0.1", dynalite.endpoint().getPort())) {
          String head =
              "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/x-amz-json-1.0\r\n"
                  + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                  + "Content-Length: 1000\r\n\r\n{\"Limit\":";
          socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          Thread.sleep(100);
        }
      }
      Thread.sleep(500);
      assertThat(ProcessHandle.of(dynalite.pid()).map(ProcessHandle::isAlive))
          .as("dynalite after three clients hung up mid-request")
          .hasValue(true);
      AwsTarget target = AwsTarget.local(standIns.sqsEndpoint(), dynalite.endpoint());
      try (DynamoDbClient ddb =
          new AwsClients(target, 1, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
        assertThat(ddb.listTables().tableNames()).isNotNull();
      }
    }
  }
}
