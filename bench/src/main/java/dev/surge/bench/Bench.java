package dev.surge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.standins.StandIns;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code surge bench}: on freshly started stand-ins, in one run, measures Surge's worker against a
 * raw SDK loop, the seed's loop and a Spring Cloud AWS listener (the Java peer, {@link
 * SpringPeerJar}), and the producer against a raw send loop, then start-up ({@link StartBench});
 * or, with a scale, one worker draining a large queue instead ({@link ScaleRun}); or start-up only.
 * The figures are one JSON object; {@link BenchReport} prints them as tables.
 */
public final class Bench {
  /**
   * What to measure.
   *
   * @param messages messages per drain and per produce run; with a scale, of the base drains
   * @param seedMessages messages for the slow seed-style loops
   * @param concurrency pollers / senders of every contender
   * @param rounds rounds of the contest (or of the start-up measurements)
   * @param scale the scale drain's messages, if this is a scale run
   * @param startOnly measure only start-up
   */
  public record Settings(
      long messages,
      long seedMessages,
      int concurrency,
      int rounds,
      Optional<Long> scale,
      boolean startOnly) {
    /** Requires the scale. */
    public Settings {
      Objects.requireNonNull(scale, "scale");
    }
  }

  private final Settings settings;
  private final PrintWriter progress;

  private Bench(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Runs the bench on stand-ins it starts and stops; {@code env} may name the Spring peer's jar
   * ({@link SpringPeerJar#VARIABLE}); progress lines go to {@code progress}.
   *
   * @return every figure
   */
  public static ObjectNode measure(Settings settings, Map<String, String> env, PrintWriter progress)
      throws IOException, InterruptedException {
    return new Bench(settings, progress).measure(env);
  }

  private ObjectNode measure(Map<String, String> env) throws IOException, InterruptedException {
    try (StandIns standIns = StandIns.start(0, 0)) {
      AwsTarget target = AwsTarget.local(standIns.sqsDirectEndpoint(), standIns.dynamoDbEndpoint());
      AwsClients clients = new AwsClients(target, 16, List.of());
      try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
          DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
        if (settings.startOnly()) {
          ObjectNode figures = new ObjectMapper().createObjectNode();
          figures.put("rounds", settings.rounds());
          figures.put("cores", Runtime.getRuntime().availableProcessors());
          figures.setAll(StartBench.measure(target, sqs, dynamodb, progress, settings.rounds()));
          return figures;
        }
        Contest c = new Contest(target, sqs, dynamodb, progress);
        // Warm the stand-ins' own code paths (ElasticMQ's JIT, dynalite's) so that whichever
        // contender runs first is not measured against cold servers.
        c.loop("raw", Math.min(settings.messages(), 3000), settings.concurrency(), 0);
        ObjectNode figures = new ObjectMapper().createObjectNode();
        figures.put("mode", settings.scale().isEmpty() ? "contest" : "scale");
        figures.put("messages", settings.messages());
        figures.put("concurrency", settings.concurrency());
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("jvmOptions", String.join(" ", ChildRun.JVM_OPTIONS));
        if (settings.scale().isEmpty()) {
          contest(c, figures, settings.seedMessages(), env);
          // start-up: tasks with and without the class-data archive, the function's cold start
          figures.setAll(StartBench.measure(target, sqs, dynamodb, progress, settings.rounds()));
        } else {
          new ScaleRun(c, sqs, dynamodb, standIns.dynalitePid(), progress)
              .run(figures, settings.messages(), settings.scale().get(), settings.concurrency());
        }
        return figures;
      }
    }
  }

  private void contest(Contest c, ObjectNode o, long seedCount, Map<String, String> env)
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
    for (int round = 1; round <= settings.rounds(); round++) {
      // Odd rounds in order, even ones reversed: each pair of contenders alternates who goes first.
      List<String> turn = new ArrayList<>(order);
      if (round % 2 == 0) {
        Collections.reverse(turn);
      }
      for (String contender : turn) {
        switch (contender) {
          case "raw" -> raws.add(c.loop("raw", settings.messages(), settings.concurrency(), round));
          case "worker" ->
              workers.add(c.worker(settings.messages(), settings.concurrency(), round));
          default -> {
            Contest.SpringRun run =
                c.spring(
                    peer.jar().orElseThrow(), settings.messages(), settings.concurrency(), round);
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
    BenchFigures seedWide = c.loop("seed", seedCount, settings.concurrency(), 1);
    BenchFigures producer = c.produce("produce", settings.messages(), settings.concurrency());
    BenchFigures rawProducer =
        c.produce("produce-raw", settings.messages(), settings.concurrency());
    o.put("seedMessages", seedCount);
    o.put("rounds", settings.rounds());
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
