package dev.surge.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.standins.StandIns;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code surge bench}: on freshly started stand-ins, in one run, measures Surge's worker against a
 * raw SDK loop, the seed's loop and a Spring Cloud AWS listener (the Java peer, {@link
 * SpringPeerJar}), and the producer against a raw send loop; prints ratios. With {@code --scale},
 * measures one worker draining a large queue instead ({@link ScaleRun}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure, in one run on freshly started local stand-ins: (a) a raw SDK loop (receive 10 ->"
          + " BatchWriteItem -> DeleteMessageBatch) at the worker's concurrency, (b) Surge's"
          + " worker, (c) the seed's consumer (one loop of receive 1 -> PutItem -> DeleteMessage,"
          + " without its sleep, as each seed task ran it; also shown at the worker's"
          + " concurrency), (d) the Java peer: a Spring Cloud AWS SQS batch listener writing the"
          + " same items with BatchWriteItem at the same concurrency (module bench-spring; left"
          + " out, saying so, when its jar is not built; or set SURGE_BENCH_SPRING_JAR), and the"
          + " producer against a raw SendMessageBatch loop. Every contender"
          + " runs in its own JVM with the worker's JVM options; each reports its msg/s, its"
          + " process CPU time per 1,000 messages over the same busy window, and its peak RSS.",
      "With --scale: one worker drains a queue of a million messages (or N) while its RSS and the"
          + " stand-ins' are sampled; the same worker drains --messages before and after it, for"
          + " the rate to compare with; then the table is counted and the queue checked.",
      "Ratios within one run are what to compare: absolute rates depend on the machine."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--messages",
      defaultValue = "20000",
      description =
          "Messages per drain and per produce run; with --scale, of the base drains"
              + " (${DEFAULT-VALUE}).")
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
          "Rounds of (raw, worker, Spring peer), every other one in reverse order; of each"
              + " contender's rounds the best"
              + " rate, the least CPU per message and the largest RSS are kept (${DEFAULT-VALUE})."
              + " Not used with --scale.")
  int rounds;

  @Option(
      names = "--scale",
      arity = "0..1",
      fallbackValue = "1000000",
      paramLabel = "N",
      description =
          "Scale mode: drain N messages (1000000 when N is left out) through one worker instead"
              + " of the contest. ElasticMQ (in this JVM) and dynalite hold all N in memory: the"
              + " docs/performance.md gives what a million took.")
  Long scale;

  @Option(names = "--json", description = "Print one JSON object with every figure.")
  boolean json;

  @Option(
      names = "--start-only",
      description = "Measure only start-up: of worker tasks, and the function's cold start.")
  boolean startOnly;

  private final Map<String, String> env;

  /** Called by the command factory. */
  public BenchCommand(Map<String, String> env) {
    // the bench starts its own stand-ins; the caller's endpoint variables do not apply
    this.env = env;
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
    if (scale != null && (scale < messages || scale > 10_000_000)) {
      throw new ConfigException(
          "--scale must be " + messages + " (--messages)..10000000, was " + scale);
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
        ObjectNode figures = new ObjectMapper().createObjectNode();
        figures.put("mode", scale == null ? "contest" : "scale");
        figures.put("messages", messages);
        figures.put("concurrency", concurrency);
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("jvmOptions", String.join(" ", ChildRun.JVM_OPTIONS));
        if (scale == null) {
          contest(c, figures, seedCount);
        } else {
          new ScaleRun(c, sqs, dynamodb, standIns.dynalitePid(), err)
              .run(figures, messages, scale, concurrency);
        }
        if (scale == null) {
          // start-up: tasks with and without the class-data archive, the function's cold start
          figures.setAll(StartBench.measure(target, sqs, dynamodb, err, rounds));
        }
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
    } else if (figures.has("mode") && figures.get("mode").asText().equals("scale")) {
      BenchReport.printScale(out, figures);
    } else {
      BenchReport.print(out, figures);
    }
  }

  private void contest(Contest c, ObjectNode o, long seedCount)
      throws IOException, InterruptedException {
    SpringPeerJar peer = SpringPeerJar.find(env);
    peer.jar()
        .ifPresentOrElse(
            jar -> c.note("bench: the Spring peer: " + jar),
            () -> c.note("bench: no Spring peer: " + peer.missing() + "; measuring the others"));
    List<BenchFigures> raws = new ArrayList<>();
    List<BenchFigures> workers = new ArrayList<>();
    List<BenchFigures> springs = new ArrayList<>();
    long springLost = 0;
    List<String> order = new ArrayList<>(List.of("raw", "worker"));
    peer.jar().ifPresent(jar -> order.add("spring"));
    for (int round = 1; round <= rounds; round++) {
      // Odd rounds in order, even ones reversed: each pair of contenders alternates who goes first.
      List<String> turn = new ArrayList<>(order);
      if (round % 2 == 0) {
        Collections.reverse(turn);
      }
      for (String contender : turn) {
        switch (contender) {
          case "raw" -> raws.add(c.loop("raw", messages, concurrency, round));
          case "worker" -> workers.add(c.worker(messages, concurrency, round));
          default -> {
            Contest.SpringRun run =
                c.spring(peer.jar().orElseThrow(), messages, concurrency, round);
            springs.add(run.figures());
            springLost += run.lost();
          }
        }
      }
    }
    BenchFigures raw = fastest(raws);
    BenchFigures worker = fastest(workers);
    // Of each contender's rounds: the best rate, the least CPU per message (as the best rate, the
    // round least disturbed by the rest of the machine), and the largest RSS (the goal is a limit).
    double rawCpu = leastCpu(raws);
    double workerCpu = leastCpu(workers);
    BenchFigures seed = c.loop("seed", seedCount, 1, 1);
    BenchFigures seedWide = c.loop("seed", seedCount, concurrency, 1);
    BenchFigures producer = c.produce("produce", messages, concurrency);
    BenchFigures rawProducer = c.produce("produce-raw", messages, concurrency);
    o.put("seedMessages", seedCount);
    o.put("rounds", rounds);
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
    // CPU per message: each figure from the same child run as the rate beside it.
    o.put("workerCpuMsPer1k", round1(workerCpu));
    o.put("rawCpuMsPer1k", round1(rawCpu));
    o.put("workerVsRawCpu", round2(workerCpu / rawCpu));
    ArrayNode workerRounds = o.putArray("workerCpuMsPer1kRounds");
    workers.forEach(f -> workerRounds.add(round1(f.cpuMsPerThousand())));
    ArrayNode rawRounds = o.putArray("rawCpuMsPer1kRounds");
    raws.forEach(f -> rawRounds.add(round1(f.cpuMsPerThousand())));
    o.put("seedCpuMsPer1k", round1(seed.cpuMsPerThousand()));
    o.put("producerCpuMsPer1k", round1(producer.cpuMsPerThousand()));
    o.put("rawProducerCpuMsPer1k", round1(rawProducer.cpuMsPerThousand()));
    o.put("workerQuarterVcpuMsgPerSec", round(BenchFigures.quarterVcpuRate(workerCpu)));
    o.put("rawQuarterVcpuMsgPerSec", round(BenchFigures.quarterVcpuRate(rawCpu)));
    o.put(
        "workerPeakHeapMb", workers.stream().mapToLong(BenchFigures::peakHeapMb).max().orElse(-1));
    o.put("workerPeakRssMb", workers.stream().mapToLong(BenchFigures::peakRssMb).max().orElse(-1));
    o.put("rawPeakRssMb", raws.stream().mapToLong(BenchFigures::peakRssMb).max().orElse(-1));
    spring(o, peer, springs, springLost, worker, workerCpu);
    o.put("seedPeakRssMb", seed.peakRssMb());
    o.put("producerPeakRssMb", producer.peakRssMb());
    o.put("rawProducerPeakRssMb", rawProducer.peakRssMb());
  }

  // The Spring peer's figures, kept as the others' are (best rate, least CPU, largest RSS), and
  // the worker's ratios to them; null when the peer is not built.
  private static void spring(
      ObjectNode o,
      SpringPeerJar peer,
      List<BenchFigures> springs,
      long lost,
      BenchFigures worker,
      double workerCpu) {
    List<String> keys =
        List.of(
            "springMsgPerSec",
            "workerVsSpring",
            "springCpuMsPer1k",
            "workerVsSpringCpu",
            "springPeakRssMb",
            "workerVsSpringRss",
            "springPeakHeapMb",
            "springRequestsPerMessage",
            "springQuarterVcpuMsgPerSec",
            "springLost");
    if (springs.isEmpty()) {
      keys.forEach(o::putNull);
      o.put("springPeerMissing", peer.missing());
      return;
    }
    BenchFigures spring = fastest(springs);
    double springCpu = leastCpu(springs);
    long springRss = springs.stream().mapToLong(BenchFigures::peakRssMb).max().orElse(-1);
    long workerRss = o.get("workerPeakRssMb").asLong();
    o.put("springMsgPerSec", round(spring.rate()));
    o.put("workerVsSpring", round2(worker.rate() / spring.rate()));
    o.put("springCpuMsPer1k", round1(springCpu));
    o.put("workerVsSpringCpu", round2(workerCpu / springCpu));
    ArrayNode springRounds = o.putArray("springCpuMsPer1kRounds");
    springs.forEach(f -> springRounds.add(round1(f.cpuMsPerThousand())));
    o.put("springPeakRssMb", springRss);
    o.put("workerVsSpringRss", round2((double) workerRss / springRss));
    o.put(
        "springPeakHeapMb", springs.stream().mapToLong(BenchFigures::peakHeapMb).max().orElse(-1));
    o.put("springRequestsPerMessage", round2(spring.requestsPerMessage()));
    o.put("springQuarterVcpuMsgPerSec", round(BenchFigures.quarterVcpuRate(springCpu)));
    o.put("springLost", lost);
  }

  private static BenchFigures fastest(List<BenchFigures> rounds) {
    return rounds.stream().max(Comparator.comparingDouble(BenchFigures::rate)).orElseThrow();
  }

  private static double leastCpu(List<BenchFigures> rounds) {
    return rounds.stream().mapToDouble(BenchFigures::cpuMsPerThousand).min().orElse(-1);
  }

  static double round(double v) {
    return Math.round(v);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
