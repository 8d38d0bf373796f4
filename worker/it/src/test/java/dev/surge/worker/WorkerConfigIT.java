package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.queue.QueueOptions;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Resources the worker cannot work with are configuration errors found at start-up (exit 2, one
 * line saying what is wrong and what to do), before any message is received: none of them reaches
 * the dead-letter queue or loops in the queue because of a setting.
 */
@ExtendWith(StandInsExtension.class)
@Execution(ExecutionMode.CONCURRENT) // each test has its own queue and table
class WorkerConfigIT {
  private static StandIns standIns;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  /** A table key: partition key first, then an optional sort key; "name:type" each. */
  static Stream<Arguments> otherKeys() {
    return Stream.of(
        Arguments.of("another partition key", List.of("id:S"), "id (S)"),
        Arguments.of("the key as a number", List.of("queueMessage:N"), "queueMessage (N)"),
        Arguments.of(
            "a sort key as well",
            List.of("queueMessage:S", "processedAt:S"),
            "queueMessage (S) and sort key processedAt (S)"));
  }

  /** Creates {@code name} with {@code key} ("name:type", partition key first). */
  static void createTable(Fixture f, String name, List<String> key) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    List<KeySchemaElement> schema = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      String[] nameType = key.get(i).split(":");
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(nameType[0])
              .attributeType(ScalarAttributeType.fromValue(nameType[1]))
              .build());
      schema.add(
          KeySchemaElement.builder()
              .attributeName(nameType[0])
              .keyType(i == 0 ? KeyType.HASH : KeyType.RANGE)
              .build());
    }
    f.dynamodb.createTable(
        b ->
            b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(schema));
    f.dynamodb.waiter().waitUntilTableExists(b -> b.tableName(name));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherKeys")
  void aTableWithAnotherKeyIsAConfigurationErrorAndEveryMessageStaysInTheQueue(
      String why, List<String> key, String described) {
    try (Fixture f = new Fixture(standIns, "otherkey", QueueOptions.defaults())) {
      String table = f.table + "-other";
      createTable(f, table, key);
      f.produce(3);

      // Before the check, DynamoDB's ValidationException ("Missing the key", "Type mismatch")
      // rejected every message: all three were dead-lettered within a second, and the worker
      // exited 0.
      WorkerResult result = f.worker(f.settings().withTable(table), "task-k").run();

      assertThat(result.outcome())
          .as(result.toString())
          .isEqualTo(WorkerResult.Outcome.MISCONFIGURED);
      assertThat(result.outcome().exitCode()).isEqualTo(2);
      assertThat(result.error())
          .get()
          .asString()
          .contains("table '" + table + "' has the key " + described)
          .contains("queueMessage (S) and no sort key")
          .contains("--table / SURGE_TABLE")
          .doesNotContain("\n");
      assertThat(result.stats().received()).as("nothing received").isZero();
      assertThat(f.queueCount()).as("every message still in the queue").isEqualTo(3);
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  /** A queue with no redrive policy (no dead-letter queue), as users may have made their own. */
  static String plainQueue(Fixture f) {
    String name = f.queue + "-plain";
    f.sqs.createQueue(b -> b.queueName(name));
    return name;
  }

  /** Visible, in-flight and delayed messages of {@code url}. */
  static long count(Fixture f, String url) {
    return f
        .sqs
        .getQueueAttributes(
            b ->
                b.queueUrl(url)
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributes()
        .values()
        .stream()
        .mapToLong(Long::parseLong)
        .sum();
  }

  @Test
  void aQueueWithoutARedrivePolicyIsAConfigurationErrorAndItsPoisonMessageStaysInTheQueue()
      throws Exception {
    try (Fixture f = new Fixture(standIns, "noredrive", QueueOptions.defaults())) {
      String queue = plainQueue(f);
      String url = f.sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
      f.sqs.sendMessage(b -> b.queueUrl(url).messageBody("123456789"));
      // Over DynamoDB's 2048-byte key limit: it can never be written.
      f.sqs.sendMessage(b -> b.queueUrl(url).messageBody("9".repeat(3000)));

      // Before the check, the poison message was released at visibility 0 and received again for
      // ever (1,799 receives in 13 s), and the worker never idled out.
      Worker worker = f.worker(f.settings().withQueue(queue), "task-r");
      CompletableFuture<WorkerResult> run = CompletableFuture.supplyAsync(worker::run);
      WorkerResult result;
      try {
        result = run.get(20, TimeUnit.SECONDS);
      } finally {
        worker.stop();
        assertThat(worker.awaitFinished(Duration.ofSeconds(30))).isTrue();
      }

      assertThat(result.outcome())
          .as(result.toString())
          .isEqualTo(WorkerResult.Outcome.MISCONFIGURED);
      assertThat(result.outcome().exitCode()).isEqualTo(2);
      assertThat(result.error())
          .get()
          .asString()
          .contains("queue '" + queue + "' has no redrive policy")
          .contains("dead-letter queue")
          .contains("maxReceiveCount")
          .doesNotContain("\n");
      assertThat(result.stats().received()).as("nothing received").isZero();
      assertThat(count(f, url)).as("both messages still in the queue").isEqualTo(2);
    }
  }
}
