package dev.surge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.RequestCounter;
import dev.surge.core.Env;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.worker.ProcessCpu;
import dev.surge.worker.WorkerRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The reference loops {@code surge bench} compares Surge against, each run in its own JVM like the
 * worker: {@code raw} (receive 10 → BatchWriteItem → DeleteMessageBatch, nothing else), {@code
 * seed} (receive 1 → PutItem → DeleteMessage, the seed's loop without its sleep), {@code produce}
 * (Surge's producer) and {@code produce-raw} (a bare SendMessageBatch loop). Settings come from the
 * environment; the result is one {@value #RESULT_PREFIX} JSON line on standard output.
 */
public final class BenchLoops {
  /** Prefix of the result line. */
  public static final String RESULT_PREFIX = "SURGE_BENCH_RESULT ";

  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final String queueUrl;
  private final String table;
  private final int threads;
  private final long messages;
  private final LongAdder done = new LongAdder();
  private final AtomicLong firstNanos = new AtomicLong();
  private final AtomicLong lastNanos = new AtomicLong();
  // Process CPU time at the same two moments, read as the worker reads it (ProcessCpu).
  private final AtomicLong firstCpuNanos = new AtomicLong(-1);
  private final AtomicLong lastCpuNanos = new AtomicLong(-1);

  private BenchLoops(
      SqsClient sqs,
      DynamoDbClient dynamodb,
      String queueUrl,
      String table,
      int threads,
      long messages) {
    this.sqs = sqs;
    this.dynamodb = dynamodb;
    this.queueUrl = queueUrl;
    this.table = table;
    this.threads = threads;
    this.messages = messages;
  }

  /** Entry point: {@code BenchLoops raw|seed|produce|produce-raw}. */
  public static void main(String[] args) throws InterruptedException {
    Env env = new Env(System.getenv());
    String kind = args[0];
    int threads = env.integer("SURGE_CONCURRENCY", 4, 1, 256);
    long messages = Long.parseLong(env.string("SURGE_BENCH_MESSAGES", "1000"));
    RequestCounter requests = new RequestCounter();
    AwsClients clients = new AwsClients(AwsTarget.aws(env), threads * 2 + 4, List.of(requests));
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      BenchLoops b =
          new BenchLoops(
              sqs,
              dynamodb,
              env.string("SURGE_QUEUE", ""),
              env.string("SURGE_TABLE", ""),
              threads,
              messages);
      long millis =
          switch (kind) {
            case "raw" -> b.drain(b::rawStep);
            case "seed" -> b.drain(b::seedStep);
            case "produce" -> b.produce();
            case "produce-raw" -> b.produceRaw();
            default -> throw new IllegalArgumentException("unknown loop " + kind);
          };
      ObjectNode json = new ObjectMapper().createObjectNode();
      json.put("kind", kind);
      json.put("messages", b.done.sum());
      json.put("millis", millis);
      long first = b.firstCpuNanos.get();
      long last = b.lastCpuNanos.get();
      json.put("cpuMillis", first < 0 || last < 0 ? -1 : (last - first) / 1_000_000);
      json.put("processCpuMillis", ProcessCpu.millis());
      json.put("requests", requests.total());
      json.put("peakHeapMb", WorkerRunner.peakHeapMb());
      json.put("peakRssMb", WorkerRunner.peakRssMb());
      System.out.println(RESULT_PREFIX + json);
    }
  }

  /** One step of a drain loop: processes what one receive returns; returns how many. */
  private interface Step {
    int run();
  }

  private long drain(Step step) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                int empty = 0;
                while (done.sum() < messages && empty < 3) {
                  int n = step.run();
                  empty = n == 0 ? empty + 1 : 0;
                }
              });
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return (lastNanos.get() - firstNanos.get()) / 1_000_000;
  }

  // The same work as the worker (the same message attributes, the same eight item attributes),
  // without anything else: no validation, retries, heartbeat or idle logic.
  private int rawStep() {
    List<Message> ms =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .messages();
    if (ms.isEmpty()) {
      return 0;
    }
    started();
    List<WriteRequest> writes = new ArrayList<>(ms.size());
    for (Message m : ms) {
      writes.add(
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(fullItem(m)).build())
              .build());
    }
    Map<String, List<WriteRequest>> pending = Map.of(table, writes);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> p = pending;
      pending = dynamodb.batchWriteItem(b -> b.requestItems(p)).unprocessedItems();
    }
    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(ms.size());
    for (int i = 0; i < ms.size(); i++) {
      deletes.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .receiptHandle(ms.get(i).receiptHandle())
              .build());
    }
    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
    finished(ms.size());
    return ms.size();
  }

  private int seedStep() {
    List<Message> ms =
        sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)).messages();
    if (ms.isEmpty()) {
      return 0;
    }
    started();
    Message m = ms.get(0);
    dynamodb.putItem(b -> b.tableName(table).item(item(m.body())));
    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
    finished(1);
    return 1;
  }

  private void started() {
    if (firstNanos.get() == 0 && firstNanos.compareAndSet(0, System.nanoTime())) {
      firstCpuNanos.set(ProcessCpu.nanos());
    }
  }

  private void finished(int n) {
    done.add(n);
    lastNanos.set(System.nanoTime());
    long cpu = ProcessCpu.nanos();
    lastCpuNanos.accumulateAndGet(cpu, Math::max);
  }

  private static Map<String, AttributeValue> fullItem(Message m) {
    Instant sent =
        Instant.ofEpochMilli(
            Long.parseLong(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)));
    Instant now = Instant.now();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ItemSchema.KEY, AttributeValue.fromS(m.body()));
    item.put(ItemSchema.HOST, AttributeValue.fromS("bench"));
    item.put(ItemSchema.MESSAGE_ID, AttributeValue.fromS(m.messageId()));
    item.put(ItemSchema.TASK_ID, AttributeValue.fromS("bench"));
    item.put(ItemSchema.SENT_AT, AttributeValue.fromS(sent.toString()));
    item.put(ItemSchema.PROCESSED_AT, AttributeValue.fromS(now.toString()));
    item.put(
        ItemSchema.RECEIVE_COUNT,
        AttributeValue.fromN(
            m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)));
    item.put(
        ItemSchema.LATENCY_MS,
        AttributeValue.fromN(Long.toString(Math.max(0, now.toEpochMilli() - sent.toEpochMilli()))));
    return item;
  }

  // The seed's item: the body and the host name.
  private static Map<String, AttributeValue> item(String body) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ItemSchema.KEY, AttributeValue.fromS(body));
    item.put(ItemSchema.HOST, AttributeValue.fromS("bench"));
    return item;
  }

  private long produce() {
    firstCpuNanos.set(ProcessCpu.nanos());
    ProduceResult r =
        new Producer(sqs, queueUrl, Backoff.standard())
            .produce(
                messages,
                threads,
                Optional.empty(),
                new UniqueBodies(new SplittableRandom()),
                n -> {});
    lastCpuNanos.set(ProcessCpu.nanos());
    done.add(r.sent());
    return r.elapsed().toMillis();
  }

  private long produceRaw() throws InterruptedException {
    AtomicLong next = new AtomicLong();
    firstCpuNanos.set(ProcessCpu.nanos());
    long t0 = System.nanoTime();
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                long start;
                while ((start = next.getAndAdd(10)) < messages) {
                  int n = (int) Math.min(10, messages - start);
                  List<SendMessageBatchRequestEntry> entries = new ArrayList<>(n);
                  for (int k = 0; k < n; k++) {
                    entries.add(
                        SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(k))
                            .messageBody(Long.toString(100_000_001L + start + k))
                            .build());
                  }
                  int ok =
                      sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                          .successful()
                          .size();
                  done.add(ok);
                }
              });
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    lastCpuNanos.set(ProcessCpu.nanos());
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
