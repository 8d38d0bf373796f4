package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.aws.AwsTarget;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.table.ItemCount;
import dev.surge.worker.TaskIdentities;
import dev.surge.worker.WorkerMain;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Runs contenders against fresh queues and tables on the same stand-ins. */
final class Contest {
  /** Senders that fill a contender's queue before it starts (not part of any figure). */
  static final int FILL_SENDERS = 8;

  private final AwsTarget target;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final Provisioner provisioner;
  private final PrintWriter progress;
  private int serial;

  Contest(AwsTarget target, SqsClient sqs, DynamoDbClient dynamodb, PrintWriter progress) {
    this.target = target;
    this.sqs = sqs;
    this.dynamodb = dynamodb;
    this.provisioner = new Provisioner(sqs, dynamodb);
    this.progress = progress;
  }

  /** Prints one line of progress. */
  void note(String line) {
    progress.println(line);
    progress.flush();
  }

  /** A fresh queue and table, the queue filled with {@code fill} messages. */
  Fresh fresh(String name, long fill, int concurrency) {
    String id = "bench-" + name + "-" + (++serial);
    QueuePair q = provisioner.ensureQueue(id, id + "-dlq", QueueOptions.defaults());
    provisioner.ensureTable(id);
    long fillMillis = 0;
    if (fill > 0) {
      LongAdder sent = new LongAdder();
      long step = Math.max(100_000, fill / 10);
      ProduceResult r =
          new Producer(sqs, q.url(), Backoff.standard())
              .produce(
                  fill,
                  FILL_SENDERS,
                  Optional.empty(),
                  new UniqueBodies(new SplittableRandom()),
                  n -> {
                    long before = sent.sum();
                    sent.add(n);
                    if (fill >= 2 * step && (before + n) / step > before / step) {
                      progress.printf(
                          Locale.ROOT, "bench:   filled %d%n", (before + n) / step * step);
                      progress.flush();
                    }
                  });
      if (r.sent() != fill) {
        throw new IllegalStateException("filled " + r.sent() + " of " + fill + " messages");
      }
      fillMillis = r.elapsed().toMillis();
    }
    Map<String, String> env = new HashMap<>(target.toEnvironment());
    env.put(WorkerSettings.QUEUE, q.url());
    env.put(WorkerSettings.TABLE, id);
    env.put(WorkerSettings.CONCURRENCY, Integer.toString(concurrency));
    env.put("SURGE_BENCH_MESSAGES", Long.toString(fill > 0 ? fill : 0));
    return new Fresh(id, q, env, fillMillis);
  }

  /**
   * A contender's queue and table.
   *
   * @param table the table's name
   * @param queue the queue and its dead-letter queue
   * @param env the contender's environment
   * @param fillMillis how long filling the queue took
   */
  record Fresh(String table, QueuePair queue, Map<String, String> env, long fillMillis) {}

  BenchFigures loop(String kind, long n, int concurrency, int round)
      throws IOException, InterruptedException {
    progress.printf(
        Locale.ROOT,
        "bench: %s loop x%d, %d messages (%s)...%n",
        kind,
        concurrency,
        n,
        round == 0 ? "warm-up, not counted" : "round " + round);
    Map<String, String> env = fresh(kind, n, concurrency).env();
    JsonNode r =
        ChildRun.run(BenchLoops.class.getName(), List.of(kind), env, BenchLoops.RESULT_PREFIX);
    return BenchFigures.of(r, "messages", "millis");
  }

  BenchFigures worker(long n, int concurrency, int round) throws IOException, InterruptedException {
    progress.printf(Locale.ROOT, "bench: surge worker, %d messages (round %d)...%n", n, round);
    JsonNode r = worker(fresh("worker", n, concurrency), p -> {});
    if (r.get("deleted").asLong() != n) {
      throw new IllegalStateException("the worker deleted " + r.get("deleted") + " of " + n);
    }
    return BenchFigures.of(r, "deleted", "busyMillis");
  }

  /** Runs the worker on {@code queue}; {@code started} is told of its process at once. */
  JsonNode worker(Fresh queue, Consumer<ProcessHandle> started)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(queue.env());
    env.put(WorkerSettings.POLL_WAIT, "1");
    env.put(WorkerSettings.IDLE, "2");
    env.put(TaskIdentities.TASK_ID, "bench-worker");
    return ChildRun.run(
        WorkerMain.class.getName(), List.of(), env, WorkerRunner.SUMMARY_PREFIX, started);
  }

  /**
   * The Spring peer from {@code jar}: a Spring Cloud AWS batch listener with as many messages in
   * flight as the worker's pollers hold. It stops once it has deleted {@code n}; the items in its
   * table are counted, so {@code lost} is what it deleted without writing.
   */
  SpringRun spring(Path jar, long n, int concurrency, int round)
      throws IOException, InterruptedException {
    progress.printf(
        Locale.ROOT, "bench: spring cloud aws listener, %d messages (round %d)...%n", n, round);
    Fresh queue = fresh("spring", n, concurrency);
    Map<String, String> env = new HashMap<>(queue.env());
    env.put(WorkerSettings.POLL_WAIT, "1");
    env.put(TaskIdentities.TASK_ID, "bench-spring");
    JsonNode r =
        ChildRun.run(
            jar.toString(),
            SpringPeerJar.MAIN_CLASS,
            List.of(),
            env,
            BenchLoops.RESULT_PREFIX,
            p -> {});
    if (r.get("messages").asLong() != n || r.get("written").asLong() < n) {
      throw new IllegalStateException(
          "the Spring peer deleted "
              + r.get("messages")
              + " and wrote "
              + r.get("written")
              + " of "
              + n);
    }
    long items = ItemCount.of(dynamodb, queue.table());
    return new SpringRun(BenchFigures.of(r, "messages", "millis"), n - items);
  }

  /**
   * One run of the Spring peer.
   *
   * @param figures its measurement
   * @param lost messages it deleted whose item is not in the table
   */
  record SpringRun(BenchFigures figures, long lost) {}

  BenchFigures produce(String kind, long n, int concurrency)
      throws IOException, InterruptedException {
    progress.printf(Locale.ROOT, "bench: %s, %d messages...%n", kind, n);
    Map<String, String> env = fresh(kind, 0, concurrency).env();
    env.put("SURGE_BENCH_MESSAGES", Long.toString(n));
    JsonNode r =
        ChildRun.run(BenchLoops.class.getName(), List.of(kind), env, BenchLoops.RESULT_PREFIX);
    return BenchFigures.of(r, "messages", "millis");
  }
}
