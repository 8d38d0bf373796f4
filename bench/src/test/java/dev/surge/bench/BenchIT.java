package dev.surge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.local.tasks.WorkerCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code surge bench}'s measurements, run in this JVM as the command runs them, on small counts:
 * every figure is there and consistent with the others. Speed is not checked here; the bench
 * measures it.
 */
// The bench keeps both cores busy by design: beside other classes it takes over 200 s instead of
// 70. It is not isolated: run alone after the others, it added its whole time to the suite's,
// while the long AWS test beside it leaves a core mostly idle.
class BenchIT {
  private static JsonNode bench(long messages, long seedMessages, int rounds, Optional<Long> scale)
      throws IOException, InterruptedException {
    StringWriter progress = new StringWriter();
    try {
      // As the command with no SURGE_BENCH_SPRING_JAR: the peer is the checkout's.
      return Bench.measure(
          new Bench.Settings(messages, seedMessages, 4, rounds, scale, false),
          Map.of(),
          new PrintWriter(progress, true));
    } catch (RuntimeException e) {
      throw new AssertionError("the bench failed; its progress:\n" + progress, e);
    }
  }

  @Test
  void everyContenderReportsItsRateCpuAndMemory() throws Exception {
    // --messages 1000 --seed-messages 100 --rounds 1
    JsonNode f = bench(1000, 100, 1, Optional.empty());
    for (String key :
        List.of(
            "workerVsRaw",
            "workerVsSeed",
            "producerVsRaw",
            "requestsPerMessage",
            "rawMsgPerSec",
            "workerMsgPerSec",
            "seedMsgPerSec",
            "producerMsgPerSec",
            "rawProducerMsgPerSec",
            "workerCpuMsPer1k",
            "rawCpuMsPer1k",
            "workerVsRawCpu",
            "seedCpuMsPer1k",
            "producerCpuMsPer1k",
            "rawProducerCpuMsPer1k",
            "workerQuarterVcpuMsgPerSec",
            "rawQuarterVcpuMsgPerSec",
            "workerPeakHeapMb",
            "workerPeakRssMb",
            "rawPeakRssMb",
            "seedPeakRssMb",
            "producerPeakRssMb",
            "rawProducerPeakRssMb",
            "springMsgPerSec",
            "workerVsSpring",
            "springCpuMsPer1k",
            "workerVsSpringCpu",
            "springPeakRssMb",
            "workerVsSpringRss",
            "springRequestsPerMessage")) {
      assertThat(f.has(key)).as(key).isTrue();
      assertThat(f.get(key).asDouble()).as(key).isPositive();
    }
    assertThat(f.get("requestsPerMessage").asDouble()).isBetween(0.29, 0.5);
    double worker = f.get("workerCpuMsPer1k").asDouble();
    double raw = f.get("rawCpuMsPer1k").asDouble();
    // The ratio is of the two figures beside it (both rounded to 0.1 ms before printing).
    assertThat(f.get("workerVsRawCpu").asDouble()).isCloseTo(worker / raw, within(0.01));
    // One round each: the least CPU of the rounds is that round's.
    assertThat(f.get("workerCpuMsPer1kRounds").size()).isEqualTo(1);
    assertThat(f.get("workerCpuMsPer1kRounds").get(0).asDouble()).isEqualTo(worker);
    assertThat(f.get("rawCpuMsPer1kRounds").get(0).asDouble()).isEqualTo(raw);
    // A quarter vCPU is 250 ms of CPU a second.
    assertThat(f.get("workerQuarterVcpuMsgPerSec").asDouble())
        .isCloseTo(250_000 / worker, within(1.0));
    // A JVM costs CPU per message, and fits in memory a machine has.
    assertThat(worker).isBetween(1.0, 100_000.0);
    assertThat(f.get("workerPeakRssMb").asLong()).isBetween(20L, 4096L);
    assertThat(f.get("workerPeakHeapMb").asLong()).isLessThan(f.get("workerPeakRssMb").asLong());
    // The Spring peer (built before this module) ran like the others and lost nothing: it
    // deleted every message (or the bench fails) and every item is in its table.
    assertThat(f.has("springPeerMissing")).as(f.path("springPeerMissing").asText()).isFalse();
    assertThat(f.get("springLost").asLong()).isZero();
    assertThat(f.get("springCpuMsPer1kRounds").size()).isEqualTo(1);
    assertThat(f.get("workerVsSpring").asDouble())
        .isCloseTo(
            f.get("workerMsgPerSec").asDouble() / f.get("springMsgPerSec").asDouble(),
            within(0.02));
    assertThat(f.get("workerVsSpringCpu").asDouble())
        .isCloseTo(worker / f.get("springCpuMsPer1k").asDouble(), within(0.01));
    assertThat(f.get("springPeakRssMb").asLong()).isBetween(20L, 4096L);
    assertThat(f.get("springRequestsPerMessage").asDouble()).isBetween(0.29, 0.5);
    // Every contender ran with the options the launcher gives a worker (and the image).
    assertThat(f.get("jvmOptions").asText())
        .isEqualTo(String.join(" ", WorkerCommand.DEFAULT_JVM_OPTIONS));
  }

  @Test
  void theScaleModeAccountsForEveryMessageAndSamplesMemory() throws Exception {
    // --messages 1000 --scale 5000 (the seed loops' count is not used)
    JsonNode f = bench(1000, 300, 2, Optional.of(5000L));
    assertThat(f.get("mode").asText()).isEqualTo("scale");
    assertThat(f.get("scaleMessages").asLong()).isEqualTo(5000);
    assertThat(f.get("scaleItems").asLong()).isEqualTo(5000);
    assertThat(f.get("scaleLost").asLong()).isZero();
    assertThat(f.get("scaleQueueLeft").asLong()).isZero();
    assertThat(f.get("scaleDeadLettered").asLong()).isZero();
    assertThat(f.get("scaleDeleted").asLong()).isGreaterThanOrEqualTo(5000);
    double scale = f.get("scaleMsgPerSec").asDouble();
    double base = f.get("scaleBaseMsgPerSec").asDouble();
    assertThat(scale).isPositive();
    assertThat(base).isPositive();
    assertThat(f.get("scaleVsBase").asDouble()).isCloseTo(scale / base, within(0.02));
    assertThat(f.get("scaleCpuMsPer1k").asDouble()).isPositive();
    JsonNode tenths = f.get("scaleWorkerRssMb");
    assertThat(tenths.size()).isEqualTo(10);
    tenths.forEach(
        rss -> assertThat(rss.asLong()).isBetween(20L, f.get("scaleWorkerPeakRssMb").asLong()));
    assertThat(f.get("scaleWorkerRssSecondHalfMinMb").asLong())
        .isPositive()
        .isLessThanOrEqualTo(f.get("scaleWorkerRssSecondHalfMaxMb").asLong());
    assertThat(f.get("standInsRssMb").get("benchJvm").asLong()).isPositive();
    assertThat(f.get("standInsRssMb").get("dynalite").asLong()).isPositive();
    assertThat(f.get("standInsBenchHeapAfterFillMb").asLong()).isPositive();
  }
}
