package dev.surge.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.ItemsCounted;
import dev.surge.core.observe.PipelineEvent.QueueSampled;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * When the monitor counts the table: while the queues move, at every sample it may; while they stay
 * empty and unchanged, only every {@link PipelineMonitor.IDLE_RECOUNT}. And how often it samples
 * the queues: every period while they move, seldom once idle, at once when woken.
 */
@ExtendWith(StandInsExtension.class)
class PipelineMonitorIT {
  private static final Duration PERIOD = Duration.ofMillis(100);

  private SqsClient sqs;
  private DynamoDbClient dynamodb;
  private QueuePair queues;
  private String table;
  private final EventLog events = new EventLog(100_000);
  private PipelineMonitor monitor;

  @BeforeEach
  void start(StandIns standIns) {
    AwsClients clients =
        new AwsClients(
            AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint()), 4, List.of());
    sqs = clients.build(SqsClient.builder(), "SQS");
    dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    String name = "monitor-" + UUID.randomUUID().toString().substring(0, 8);
    Provisioner provisioner = new Provisioner(sqs, dynamodb);
    queues = provisioner.ensureQueue(name, name + "-dlq", QueueOptions.defaults());
    table = name;
    provisioner.ensureTable(table);
    monitor =
        new PipelineMonitor(
            sqs, queues.url(), queues.deadLetterUrl(), dynamodb, table, events, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    monitor.close();
    sqs.close();
    dynamodb.close();
  }

  @Test
  void whileTheQueuesStayEmptyTheTableIsRecountedOnlyEveryIdleRecount() throws Exception {
    monitor.start(PERIOD);
    awaitUntil(30, () -> counts().size() == 1);
    ItemsCounted first = counts().get(0);
    assertThat(first.items()).isZero();

    // Twenty samples and more with nothing in the queues: not one more scan of the table.
    Thread.sleep(2_000);
    assertThat(samples()).hasSizeGreaterThan(5);
    assertThat(counts()).hasSize(1);

    // An item written without the queue is found by the idle recount, not before.
    dynamodb.putItem(
        b -> b.tableName(table).item(Map.of(ItemSchema.KEY, AttributeValue.fromS("by hand"))));
    awaitUntil(60, () -> counts().size() == 2);
    ItemsCounted second = counts().get(1);
    assertThat(second.items()).isEqualTo(1);
    assertThat(Duration.between(first.at(), second.at()))
        .isGreaterThan(PipelineMonitor.IDLE_RECOUNT.minusSeconds(1));
  }

  @Test
  void aMessageInTheQueueAndTheDrainThatEmptiesItAreEachCountedAtOnce() throws Exception {
    monitor.start(PERIOD);
    awaitUntil(30, () -> counts().size() == 1);

    sqs.sendMessage(b -> b.queueUrl(queues.url()).messageBody("123456789"));
    awaitUntil(30, () -> counts().size() == 2);
    // Counted at the sample that saw the message, not at the idle recount.
    assertThat(sampleBefore(counts().get(1)).depth().visible()).isEqualTo(1);

    // A worker's part: the item, then the delete.
    Message m =
        sqs.receiveMessage(b -> b.queueUrl(queues.url()).waitTimeSeconds(5)).messages().get(0);
    dynamodb.putItem(
        b -> b.tableName(table).item(Map.of(ItemSchema.KEY, AttributeValue.fromS(m.body()))));
    sqs.deleteMessage(b -> b.queueUrl(queues.url()).receiptHandle(m.receiptHandle()));
    awaitUntil(30, () -> lastSample().depth().empty());
    Thread.sleep(PERIOD.toMillis() * 3);
    // The first sample that saw the queue empty again is followed by a count that finds the item,
    // sooner than an idle recount would come after the count before it.
    List<PipelineEvent> all = all();
    int lastBusy = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) instanceof QueueSampled q && !q.depth().empty()) {
        lastBusy = i;
      }
    }
    assertThat(lastBusy).isPositive();
    int empty = lastBusy + 1;
    while (!(all.get(empty) instanceof QueueSampled)) {
      empty++;
    }
    int before = empty;
    while (!(all.get(before) instanceof ItemsCounted)) {
      before--;
    }
    int after = empty;
    while (!(all.get(after) instanceof ItemsCounted)) {
      after++;
    }
    ItemsCounted drained = (ItemsCounted) all.get(after);
    assertThat(drained.items()).isEqualTo(1);
    assertThat(Duration.between(all.get(before).at(), drained.at()))
        .isLessThan(PipelineMonitor.IDLE_RECOUNT);
  }

  @Test
  void idleQueuesAreSampledLessOftenUntilAMessageWakesTheMonitor() throws Exception {
    // An idle period no test waits out: only a wake can bring the next sample sooner.
    monitor.start(PERIOD, Duration.ofSeconds(60));
    awaitUntil(30, monitor::idle);
    Thread.sleep(1_000); // the sample scheduled before the monitor went idle
    int before = samples().size();
    Thread.sleep(2_000);
    // Twenty periods, and no more than the one sample a slow machine may still have been taking.
    assertThat(samples().size()).isLessThanOrEqualTo(before + 1);

    sqs.sendMessage(b -> b.queueUrl(queues.url()).messageBody("123456789"));
    monitor.wake();
    awaitUntil(10, () -> lastSample().depth().visible() == 1);
    assertThat(monitor.idle()).isFalse();
    // Back at the full rate while the queue holds the message.
    int busy = samples().size();
    Thread.sleep(1_000);
    assertThat(samples().size() - busy).isGreaterThan(3);
  }

  private static void awaitUntil(int seconds, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %d s", seconds).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private List<PipelineEvent> all() {
    return events.events().stream().map(EventLog.Sequenced::event).toList();
  }

  private List<ItemsCounted> counts() {
    return of(ItemsCounted.class);
  }

  private List<QueueSampled> samples() {
    return of(QueueSampled.class);
  }

  /**
   * The latest queue sample, from one reading of the log (the monitor publishes while a test reads:
   * a size and an index from two readings can disagree).
   */
  private QueueSampled lastSample() {
    List<QueueSampled> samples = samples();
    return samples.get(samples.size() - 1);
  }

  /** The events of {@code type} published so far, oldest first. */
  private <T extends PipelineEvent> List<T> of(Class<T> type) {
    return all().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The queue sample published just before {@code count}: the one the count was made for. */
  private QueueSampled sampleBefore(ItemsCounted count) {
    List<PipelineEvent> all = all();
    int i = all.indexOf(count);
    assertThat(i).isPositive();
    return (QueueSampled) all.get(i - 1);
  }
}
