package dev.surge.bench.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import dev.surge.table.ItemCount;
import dev.surge.worker.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The Spring peer on the stand-ins: from its packaged jar, as {@code surge bench} runs it, it
 * drains a queue into its table with nothing lost and reports like the other contenders; a batch
 * whose writes fail is not deleted.
 */
@ExtendWith(StandInsExtension.class)
@Execution(ExecutionMode.CONCURRENT) // each test has its own queue and table
class SpringPeerIT {
  // The jar module bench-spring packages, beside this module's folder.
  private static final Path JAR = Path.of("..", "target", "surge-bench-spring.jar");

  private static AwsTarget target;
  private static SqsClient sqs;
  private static DynamoDbClient dynamodb;
  private static Provisioner provisioner;

  @BeforeAll
  static void clients(StandIns standIns) {
    target = AwsTarget.local(standIns.sqsDirectEndpoint(), standIns.dynamoDbEndpoint());
    AwsClients clients = new AwsClients(target, 16, List.of());
    sqs = clients.build(SqsClient.builder(), "SQS");
    dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    provisioner = new Provisioner(sqs, dynamodb);
  }

  @AfterAll
  static void close() {
    sqs.close();
    dynamodb.close();
  }

  private static QueuePair queue(String name, QueueOptions options, long messages) {
    QueuePair q = provisioner.ensureQueue(name, name + "-dlq", options);
    long sent =
        new Producer(sqs, q.url(), Backoff.standard())
            .produce(
                messages, 4, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {})
            .sent();
    assertThat(sent).isEqualTo(messages);
    return q;
  }

  private static Map<String, String> settings(QueuePair q, String table, long messages) {
    Map<String, String> env = new HashMap<>(target.toEnvironment());
    env.put(PeerConfiguration.QUEUE, q.url());
    env.put(PeerConfiguration.TABLE, table);
    env.put(PeerConfiguration.CONCURRENCY, "4");
    env.put(PeerConfiguration.POLL_WAIT, "1");
    env.put(PeerConfiguration.MESSAGES, Long.toString(messages));
    return env;
  }

  private static long inQueue(QueuePair q) {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(q.url())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  @Test
  void drainsTheQueueIntoTheTableFromItsJarAndReportsLikeTheOtherContenders() throws Exception {
    String name = "spring-drain-" + UUID.randomUUID().toString().substring(0, 8);
    QueuePair q = queue(name, QueueOptions.defaults(), 1000);
    provisioner.ensureTable(name);

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(WorkerJvm.OPTIONS);
    cmd.addAll(List.of("-cp", JAR.toString(), SpringPeer.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    pb.environment().putAll(settings(q, name, 1000));
    // Kept in target/ for a failed run to be read.
    Path log = Files.createDirectories(Path.of("target", "spring-peer-it")).resolve(name + ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the peer stopped by itself").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isZero();
    String line =
        output
            .lines()
            .filter(l -> l.startsWith(SpringPeer.RESULT_PREFIX))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no result line in:\n" + output));
    JsonNode r = new ObjectMapper().readTree(line.substring(SpringPeer.RESULT_PREFIX.length()));

    // Every message written and deleted once; the fields surge bench reads are there.
    assertThat(r.get("messages").asLong()).as(output).isEqualTo(1000);
    assertThat(r.get("written").asLong()).isEqualTo(1000);
    assertThat(r.get("failedBatches").asLong()).isZero();
    assertThat(r.get("failedDeletes").asLong()).isZero();
    assertThat(r.get("millis").asLong()).isPositive();
    assertThat(r.get("cpuMillis").asLong()).isPositive();
    assertThat(r.get("peakRssMb").asLong()).isBetween(20L, 4096L);
    assertThat(r.get("peakHeapMb").asLong()).isPositive().isLessThanOrEqualTo(64);
    // Receives of up to 10, one BatchWriteItem per batch, deletions batched by the container.
    assertThat(r.get("requestsBatchWriteItem").asLong()).isBetween(100L, 1000L);
    assertThat(r.get("requestsDeleteMessageBatch").asLong()).isBetween(100L, 1000L);
    assertThat(r.get("requests").asLong()).isGreaterThan(r.get("requestsBatchWriteItem").asLong());
    assertThat(r.has("requestsGetQueueUrl")).as("the queue is given by URL").isFalse();
    assertThat(r.has("requestsGetQueueAttributes")).isFalse();
    assertThat(ItemCount.of(dynamodb, name)).isEqualTo(1000);
    assertThat(inQueue(q)).as("left in the queue").isZero();

    // The raw loop's item: the same eight attributes.
    Map<String, AttributeValue> item =
        dynamodb.scan(b -> b.tableName(name).limit(1)).items().get(0);
    assertThat(item.keySet())
        .containsExactlyInAnyOrder(
            ItemSchema.KEY,
            ItemSchema.HOST,
            ItemSchema.MESSAGE_ID,
            ItemSchema.TASK_ID,
            ItemSchema.SENT_AT,
            ItemSchema.PROCESSED_AT,
            ItemSchema.RECEIVE_COUNT,
            ItemSchema.LATENCY_MS);
    assertThat(item.get(ItemSchema.RECEIVE_COUNT).n()).isEqualTo("1");
    assertThat(item.get(ItemSchema.MESSAGE_ID).s()).hasSize(36);
  }

  @Test
  void aBatchWhoseWritesFailIsNotDeleted() throws IOException {
    String name = "spring-fail-" + UUID.randomUUID().toString().substring(0, 8);
    QueuePair q = queue(name, new QueueOptions(Duration.ofSeconds(60), 5), 30);
    Map<String, Object> properties = new HashMap<>(settings(q, name + "-no-such-table", 30));
    try (AnnotationConfigApplicationContext context = SpringPeer.start(properties)) {
      Progress progress = context.getBean(Progress.class);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> progress.failedBatches() >= 3 && inQueueNotVisible(q) == 30);
      // Acknowledgements are sent within a second; none came.
      await().during(Duration.ofSeconds(2)).until(() -> progress.deleted() == 0);
      assertThat(progress.written()).isZero();
    }
    assertThat(inQueue(q)).as("every message still in the queue").isEqualTo(30);
  }

  private static long inQueueNotVisible(QueuePair q) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(q.url())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }
}
