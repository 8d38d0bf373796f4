package dev.surge.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.provision.QueueOptions;
import dev.surge.provision.QueuePair;
import dev.surge.standins.StandIns;
import dev.surge.worker.TaskIdentities;
import dev.surge.worker.WorkerMain;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code surge bench}: on freshly started stand-ins, in one run, measures Surge's worker against a
 * raw SDK loop and the seed's loop, and the producer against a raw send loop; prints ratios.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure, in one run on freshly started local stand-ins: (a) a raw SDK loop (receive 10 ->"
          + " BatchWriteItem -> DeleteMessageBatch) at the worker's concurrency, (b) Surge's"
          + " worker, (c) the seed's consumer (one loop of receive 1 -> PutItem -> DeleteMessage,"
          + " without its sleep, as each seed task ran it; also shown at the worker's"
          + " concurrency), and the producer against a raw SendMessageBatch loop. Every contender"
          + " runs in its own JVM.",
      "Ratios within one run are what to compare: absolute rates depend on the machine."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--messages",
      defaultValue = "20000",
      description = "Messages per drain and per produce run (${DEFAULT-VALUE}).")
  long messages;

  @Option(
      names = "--seed-messages",
      description =
          "Messages for the slow seed-style loops (default: messages / 20, at least 300).")
  Long seedMessages;

  @Option(
      names = "--concurrency",
      defaultValue = "" + WorkerSettings.DEFAULT_CONCURRENCY,
      description = "Pollers / senders of every contender (${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description =
          "Rounds of (raw, worker) in alternating order; the best of each is kept"
              + " (${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", description = "Print one JSON object with every figure.")
  boolean json;

  @Option(
      names = "--start-only",
      description = "Measure only start-up: of worker tasks, and the function's cold start.")
  boolean startOnly;

  /** Called by the command factory. */
  public BenchCommand(Map<String, String> env) {
    // the bench starts its own stand-ins; the caller's endpoint variables do not apply
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (messages < 100 || messages > 10_000_000) {
      throw new ConfigException("--messages must be 100..10000000, was " + messages);
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new ConfigException("--concurrency must be 1..64, was " + concurrency);
    }
    if (rounds < 1 || rounds > 10) {
      throw new ConfigException("--rounds must be 1..10, was " + rounds);
    }
    long seedCount = seedMessages != null ? seedMessages : Math.max(300, messages / 20);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StandIns standIns = StandIns.start(0, 0)) {
      AwsTarget target = AwsTarget.local(standIns.sqsDirectEndpoint(), standIns.dynamoDbEndpoint());
      AwsClients clients = new AwsClients(target, 16, List.of());
      try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
          DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
        if (startOnly) {
          ObjectNode figures = new ObjectMapper().createObjectNode();
          figures.put("rounds", rounds);
          figures.put("cores", Runtime.getRuntime().availableProcessors());
          figures.setAll(StartBench.measure(target, sqs, dynamodb, err, rounds));
          print(out, figures);
          return 0;
        }
        Contest c = new Contest(target, sqs, dynamodb, err);
        // Warm the stand-ins' own code paths (ElasticMQ's JIT, dynalite's) so that whichever
        // contender runs first is not measured against cold servers.
        c.loop("raw", Math.min(messages, 3000), concurrency, 0);
        BenchFigures raw = null;
        BenchFigures worker = null;
        for (int round = 1; round <= rounds; round++) {
          boolean rawFirst = round % 2 == 1;
          for (int k = 0; k < 2; k++) {
            if ((k == 0) == rawFirst) {
              raw = best(raw, c.loop("raw", messages, concurrency, round));
            } else {
              worker = best(worker, c.worker(messages, concurrency, round));
            }
          }
        }
        BenchFigures seed = c.loop("seed", seedCount, 1, 1);
        BenchFigures seedWide = c.loop("seed", seedCount, concurrency, 1);
        BenchFigures producer = c.produce("produce", messages, concurrency);
        BenchFigures rawProducer = c.produce("produce-raw", messages, concurrency);
        ObjectNode figures = figures(raw, worker, seed, seedWide, producer, rawProducer, seedCount);
        figures.setAll(StartBench.measure(target, sqs, dynamodb, err, rounds));
        print(out, figures);
        return 0;
      }
    }
  }

  private void print(PrintWriter out, ObjectNode figures) throws IOException {
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(figures));
    } else {
      BenchReport.print(out, figures);
    }
  }

  private ObjectNode figures(
      BenchFigures raw,
      BenchFigures worker,
      BenchFigures seed,
      BenchFigures seedWide,
      BenchFigures producer,
      BenchFigures rawProducer,
      long seedCount) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("messages", messages);
    o.put("seedMessages", seedCount);
    o.put("concurrency", concurrency);
    o.put("rounds", rounds);
    o.put("cores", Runtime.getRuntime().availableProcessors());
    o.put("rawMsgPerSec", round(raw.rate()));
    o.put("workerMsgPerSec", round(worker.rate()));
    o.put("seedMsgPerSec", round(seed.rate()));
    o.put("seedSameConcurrencyMsgPerSec", round(seedWide.rate()));
    o.put("producerMsgPerSec", round(producer.rate()));
    o.put("rawProducerMsgPerSec", round(rawProducer.rate()));
    o.put("workerVsRaw", round2(worker.rate() / raw.rate()));
    o.put("workerVsSeed", round2(worker.rate() / seed.rate()));
    o.put("workerVsSeedSameConcurrency", round2(worker.rate() / seedWide.rate()));
    o.put("producerVsRaw", round2(producer.rate() / rawProducer.rate()));
    o.put("requestsPerMessage", round2(worker.requestsPerMessage()));
    o.put("rawRequestsPerMessage", round2(raw.requestsPerMessage()));
    o.put("seedRequestsPerMessage", round2(seed.requestsPerMessage()));
    o.put("workerPeakHeapMb", worker.peakHeapMb());
    o.put("workerPeakRssMb", worker.peakRssMb());
    o.put("rawPeakRssMb", raw.peakRssMb());
    return o;
  }

  private static BenchFigures best(BenchFigures a, BenchFigures b) {
    return a == null || b.rate() > a.rate() ? b : a;
  }

  private static double round(double v) {
    return Math.round(v);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Runs contenders against fresh queues and tables on the same stand-ins. */
  private static final class Contest {
    private final AwsTarget target;
    private final SqsClient sqs;
    private final Provisioner provisioner;
    private final PrintWriter progress;
    private int serial;

    Contest(AwsTarget target, SqsClient sqs, DynamoDbClient dynamodb, PrintWriter progress) {
      this.target = target;
      this.sqs = sqs;
      this.provisioner = new Provisioner(sqs, dynamodb);
      this.progress = progress;
    }

    private Map<String, String> fresh(String name, long fill, int concurrency) {
      String id = "bench-" + name + "-" + (++serial);
      QueuePair q = provisioner.ensureQueue(id, id + "-dlq", QueueOptions.defaults());
      provisioner.ensureTable(id);
      if (fill > 0) {
        new Producer(sqs, q.url(), Backoff.standard())
            .produce(fill, 8, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
      }
      Map<String, String> env = new HashMap<>(target.toEnvironment());
      env.put(WorkerSettings.QUEUE, q.url());
      env.put(WorkerSettings.TABLE, id);
      env.put(WorkerSettings.CONCURRENCY, Integer.toString(concurrency));
      env.put("SURGE_BENCH_MESSAGES", Long.toString(fill > 0 ? fill : 0));
      return env;
    }

    BenchFigures loop(String kind, long n, int concurrency, int round)
        throws IOException, InterruptedException {
      progress.printf(
          Locale.ROOT,
          "bench: %s loop x%d, %d messages (%s)...%n",
          kind,
          concurrency,
          n,
          round == 0 ? "warm-up, not counted" : "round " + round);
      Map<String, String> env = fresh(kind, n, concurrency);
      JsonNode r =
          ChildRun.run(BenchLoops.class.getName(), List.of(kind), env, BenchLoops.RESULT_PREFIX);
      return BenchFigures.of(r, "messages", "millis");
    }

    BenchFigures worker(long n, int concurrency, int round)
        throws IOException, InterruptedException {
      progress.printf(Locale.ROOT, "bench: surge worker, %d messages (round %d)...%n", n, round);
      Map<String, String> env = fresh("worker", n, concurrency);
      env.put(WorkerSettings.POLL_WAIT, "1");
      env.put(WorkerSettings.IDLE, "2");
      env.put(TaskIdentities.TASK_ID, "bench-worker");
      JsonNode r =
          ChildRun.run(WorkerMain.class.getName(), List.of(), env, WorkerRunner.SUMMARY_PREFIX);
      if (r.get("deleted").asLong() != n) {
        throw new IllegalStateException("the worker deleted " + r.get("deleted") + " of " + n);
      }
      return BenchFigures.of(r, "deleted", "busyMillis");
    }

    BenchFigures produce(String kind, long n, int concurrency)
        throws IOException, InterruptedException {
      progress.printf(Locale.ROOT, "bench: %s, %d messages...%n", kind, n);
      Map<String, String> env = fresh(kind, 0, concurrency);
      env.put("SURGE_BENCH_MESSAGES", Long.toString(n));
      JsonNode r =
          ChildRun.run(BenchLoops.class.getName(), List.of(kind), env, BenchLoops.RESULT_PREFIX);
      return BenchFigures.of(r, "messages", "millis");
    }
  }
}
