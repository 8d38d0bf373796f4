package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.aws.RequestCounter;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.retry.Backoff;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The worker against real ElasticMQ and dynalite. */
@ExtendWith(StandInsExtension.class)
class WorkerIT {
  private static StandIns standIns;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  @Test
  void the1100SeedMessagesBecome1100ItemsWithEveryMetadataField() {
    try (Fixture f = new Fixture(standIns, "seed", QueueOptions.defaults())) {
      Instant before = Instant.now();
      assertThat(f.produce(1100).sent()).isEqualTo(1100);

      WorkerResult result = f.worker(f.settings(), "task-1").run();

      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(result.stats().deleted()).isEqualTo(1100);
      List<Map<String, AttributeValue>> items = f.items();
      assertThat(items).hasSize(1100);
      Set<String> messageIds = new HashSet<>();
      for (Map<String, AttributeValue> item : items) {
        assertThat(item.get(ItemSchema.KEY).s()).matches("[1-9][0-9]{8}");
        assertThat(item.get(ItemSchema.HOST).s()).isEqualTo("host-task-1");
        assertThat(item.get(ItemSchema.TASK_ID).s()).isEqualTo("task-1");
        messageIds.add(item.get(ItemSchema.MESSAGE_ID).s());
        Instant sent = Instant.parse(item.get(ItemSchema.SENT_AT).s());
        Instant processed = Instant.parse(item.get(ItemSchema.PROCESSED_AT).s());
        assertThat(sent).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(processed).isAfterOrEqualTo(sent);
        assertThat(item.get(ItemSchema.RECEIVE_COUNT).n()).isEqualTo("1");
        assertThat(Long.parseLong(item.get(ItemSchema.LATENCY_MS).n()))
            .isEqualTo(Duration.between(sent, processed).toMillis());
      }
      assertThat(messageIds).hasSize(1100);
      assertThat(f.queueCount()).isZero();
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void aRedeliveredMessageOverwritesItsItemInsteadOfAddingOne() throws Exception {
    try (Fixture f =
        new Fixture(standIns, "redeliver", new QueueOptions(Duration.ofSeconds(30), 5))) {
      f.sqs.sendMessage(b -> b.queueUrl(f.queues.url()).messageBody("123456789"));
      // A first worker received it and crashed before deleting: the message comes back. Only
      // this receive hides it for 1 s; the worker's own hides it for the queue's 30 s, so a slow
      // machine cannot hand it back a second time.
      List<Message> first =
          f.sqs
              .receiveMessage(
                  b -> b.queueUrl(f.queues.url()).maxNumberOfMessages(1).visibilityTimeout(1))
              .messages();
      assertThat(first).hasSize(1);
      // ... and it had even written its item already.
      f.dynamodb.putItem(
          b ->
              b.tableName(f.table)
                  .item(
                      Map.of(
                          ItemSchema.KEY, AttributeValue.fromS("123456789"),
                          ItemSchema.TASK_ID, AttributeValue.fromS("crashed-task"))));
      TimeUnit.MILLISECONDS.sleep(1200); // the visibility timeout of 1 s expires

      WorkerResult result = f.worker(f.settings(), "task-2").run();

      assertThat(result.stats().redelivered()).isEqualTo(1);
      assertThat(f.itemCount()).isEqualTo(1);
      Map<String, AttributeValue> item = f.item("123456789").orElseThrow();
      assertThat(item.get(ItemSchema.TASK_ID).s()).isEqualTo("task-2");
      assertThat(item.get(ItemSchema.RECEIVE_COUNT).n()).isEqualTo("2");
      assertThat(f.queueCount()).isZero();
    }
  }

  @Test
  void aPoisonMessageReachesTheDeadLetterQueueWhileTheRestDrains() {
    try (Fixture f = new Fixture(standIns, "poison", QueueOptions.defaults())) {
      f.produce(200);
      String poison = "9".repeat(3000); // over DynamoDB's 2048-byte key limit
      f.sqs.sendMessage(b -> b.queueUrl(f.queues.url()).messageBody(poison));

      WorkerResult result = f.worker(f.settings(), "task-3").run();

      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(200);
      assertThat(f.deadLetterCount()).isEqualTo(1);
      assertThat(f.queueCount()).isZero();
      Message dead =
          f.sqs
              .receiveMessage(b -> b.queueUrl(f.queues.deadLetterUrl()).maxNumberOfMessages(1))
              .messages()
              .get(0);
      assertThat(dead.body()).isEqualTo(poison);
      // Released at once on each receive: it took maxReceiveCount receives, not 5 timeouts.
      assertThat(result.stats().rejected()).isEqualTo(QueueOptions.DEFAULT_MAX_RECEIVE_COUNT);
    }
  }

  @Test
  void unprocessedItemsAreRetriedAndNothingIsLost() {
    try (Fixture f = new Fixture(standIns, "unprocessed", QueueOptions.defaults())) {
      f.produce(500);
      DropUnprocessedItems drop = new DropUnprocessedItems(3, 40);
      RequestCounter requests = new RequestCounter();

      WorkerResult result =
          f.worker(
                  f.settings()
                      .withWriteBackoff(
                          new Backoff(Duration.ofMillis(5), Duration.ofMillis(50), 8)),
                  "task-4",
                  drop,
                  requests)
              .run();

      assertThat(drop.dropped()).as("items reported unprocessed").isGreaterThan(40);
      assertThat(result.stats().retried()).isZero();
      assertThat(f.itemCount()).isEqualTo(500);
      assertThat(f.queueCount()).isZero();
      // Each re-sent remainder is one more BatchWriteItem on the wire.
      assertThat(requests.count("BatchWriteItem")).isGreaterThan(50 + drop.droppedBatches() - 1);
    }
  }

  @Test
  void aBatchHeldLongerThanHalfTheVisibilityTimeoutIsExtendedNotRedelivered() {
    try (Fixture f =
        new Fixture(standIns, "heartbeat", new QueueOptions(Duration.ofSeconds(2), 5))) {
      f.produce(10);
      SlowFirstWrite slow = new SlowFirstWrite(Duration.ofMillis(3500));

      WorkerResult result = f.worker(f.settings().withConcurrency(1), "task-5", slow).run();

      assertThat(result.stats().extended()).isGreaterThanOrEqualTo(10);
      assertThat(result.stats().redelivered()).isZero();
      assertThat(f.items())
          .allSatisfy(item -> assertThat(item.get(ItemSchema.RECEIVE_COUNT).n()).isEqualTo("1"));
      assertThat(f.itemCount()).isEqualTo(10);
    }
  }

  @Test
  void stopFinishesWhatIsInHandAndASecondWorkerFinishesTheRest() throws Exception {
    try (Fixture f = new Fixture(standIns, "stop", QueueOptions.defaults())) {
      f.produce(1500);
      Worker first = f.worker(f.settings().withConcurrency(2), "task-6");
      CompletableFuture<WorkerResult> run = CompletableFuture.supplyAsync(first::run);
      while (first.stats().snapshot().deleted() < 300) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      first.stop();
      WorkerResult stopped = run.get(30, TimeUnit.SECONDS);
      assertThat(stopped.outcome()).isEqualTo(WorkerResult.Outcome.STOPPED);
      assertThat(stopped.stats().deleted()).isLessThan(1500);

      WorkerResult second = f.worker(f.settings(), "task-7").run();

      assertThat(stopped.stats().deleted() + second.stats().deleted()).isEqualTo(1500);
      assertThat(f.itemCount()).isEqualTo(1500);
      assertThat(f.queueCount()).isZero();
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void aWorkerDoesNotExitOnOneEmptyPollWhileMessagesAreInFlightElsewhere() throws Exception {
    try (Fixture f =
        new Fixture(standIns, "inflight", new QueueOptions(Duration.ofSeconds(3), 5))) {
      f.sqs.sendMessage(b -> b.queueUrl(f.queues.url()).messageBody("111111111"));
      // Someone else holds it (and will crash): the queue shows 0 visible, 1 in flight.
      assertThat(
              f.sqs
                  .receiveMessage(
                      b ->
                          b.queueUrl(f.queues.url())
                              .messageSystemAttributeNames(
                                  MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                  .messages())
          .hasSize(1);

      WorkerResult result = f.worker(f.settings(), "task-8").run();

      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.item("111111111")).isPresent();
      assertThat(f.queueCount()).isZero();
    }
  }
}
