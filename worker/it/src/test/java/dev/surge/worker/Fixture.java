package dev.surge.worker;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One test's own queue, dead-letter queue and table on the shared stand-ins. */
public final class Fixture implements AutoCloseable {
  public final StandIns standIns;
  public final AwsTarget target;
  public final SqsClient sqs;
  public final DynamoDbClient dynamodb;
  public final String queue;
  public final String table;
  public final QueuePair queues;

  /** Creates fresh resources named after {@code prefix}. */
  public Fixture(StandIns standIns, String prefix, QueueOptions options) {
    this.standIns = standIns;
    this.target = AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint());
    AwsClients clients = new AwsClients(target, 16, List.of());
    this.sqs = clients.build(SqsClient.builder(), "SQS");
    this.dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.queue = id;
    this.table = id;
    Provisioner p = new Provisioner(sqs, dynamodb);
    this.queues = p.ensureQueue(queue, queue + "-dlq", options);
    p.ensureTable(table);
  }

  /** Fast settings for tests: short polls and idle window. */
  public WorkerSettings settings() {
    return WorkerSettings.defaults()
        .withQueue(queue)
        .withTable(table)
        .withPollWait(Duration.ofSeconds(1))
        .withIdleWindow(Duration.ofSeconds(2));
  }

  /** A worker on this fixture, its clients carrying {@code interceptors}. */
  public Worker worker(
      WorkerSettings settings, String taskId, ExecutionInterceptor... interceptors) {
    return worker(target, settings, taskId, interceptors);
  }

  /** A worker on this fixture's resources reached through {@code via} (a fault proxy, say). */
  public Worker worker(
      AwsTarget via, WorkerSettings settings, String taskId, ExecutionInterceptor... interceptors) {
    AwsClients clients = new AwsClients(via, 16, List.of(interceptors));
    return new Worker(
        settings,
        new TaskIdentity(taskId, "host-" + taskId),
        clients.build(SqsClient.builder(), "SQS"),
        clients.build(DynamoDbClient.builder(), "DYNAMODB"),
        Clock.systemUTC());
  }

  /** Sends {@code count} unique 9-digit bodies to the work queue, as the producer does. */
  public ProduceResult produce(long count) {
    return new Producer(sqs, queues.url(), Backoff.standard())
        .produce(count, 4, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
  }

  /** Environment for a worker process on this fixture. */
  public Map<String, String> workerEnvironment(String taskId) {
    Map<String, String> env = new HashMap<>(target.toEnvironment());
    env.put(WorkerSettings.QUEUE, queue);
    env.put(WorkerSettings.TABLE, table);
    env.put(WorkerSettings.POLL_WAIT, "1");
    env.put(WorkerSettings.IDLE, "2");
    env.put(TaskIdentities.TASK_ID, taskId);
    env.put(TaskIdentities.HOST, "host-" + taskId);
    return env;
  }

  /** Items in the table (a full scan, counted). */
  public long itemCount() {
    return dev.surge.table.ItemCount.of(dynamodb, table);
  }

  /** Every item. */
  public List<Map<String, AttributeValue>> items() {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r = dynamodb.scan(b -> b.tableName(table).exclusiveStartKey(from));
      out.addAll(r.items());
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  /** One item by key. */
  public Optional<Map<String, AttributeValue>> item(String key) {
    Map<String, AttributeValue> item =
        dynamodb
            .getItem(b -> b.tableName(table).key(Map.of(ItemSchema.KEY, AttributeValue.fromS(key))))
            .item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  /** Visible + in-flight + delayed messages of the work queue. */
  public long queueCount() {
    return count(queues.url());
  }

  /** Visible + in-flight messages of the dead-letter queue. */
  public long deadLetterCount() {
    return count(queues.deadLetterUrl());
  }

  private long count(String url) {
    QueueDepth d = new SqsBacklogProbe(sqs, url).depth();
    return d.visible() + d.inFlight() + d.delayed();
  }

  @Override
  public void close() {
    sqs.close();
    dynamodb.close();
  }
}
