package dev.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.cli.SurgeJar;
import dev.surge.local.tasks.WorkerCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge bench} from the packaged jar, on small counts: every figure is there and consistent
 * with the others. Speed is not checked here; the command measures it. It stays with the packaged
 * jar: its start-up figures make a class-data archive, which a class path of jars only allows (a
 * test JVM's has folders of classes). The scale drain, which needs none, is {@code ScaleRunIT}'s,
 * in the bench module.
 */
// The bench keeps both cores busy by design: beside other classes it takes over 200 s instead of
// 70 (its timeout allows for that). It is not isolated: run alone after the others, it added its
// whole time to the suite's, while the long AWS test beside it leaves a core mostly idle.
class BenchIT {
  @TempDir Path dir;

  private String bench(int expectedExit, String... args) throws IOException, InterruptedException {
    // With the options of every test's surge (SurgeJar: C1 only, one GC thread, the jar's
    // class-data archive): figures are checked for being there and consistent, not for speed, and
    // the contenders it measures (workers, loops, the Spring peer) are processes with their own.
    List<String> cmd = new ArrayList<>(SurgeJar.command());
    cmd.add("bench");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    Path log = Files.createTempFile(dir, "bench", ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      // Alone, with 200 messages, this run takes about 65 s, 10 to 15 s of it the Spring peer's
      // (about 145 s with 1,000 on a loaded machine); in the whole suite, beside four other test
      // classes, up to 255 s (395 s with 1,000).
      assertThat(p.waitFor(900, TimeUnit.SECONDS)).as("surge bench %s finished", cmd).isTrue();
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isEqualTo(expectedExit);
    return output;
  }

  private static JsonNode json(String output) throws IOException {
    return new ObjectMapper().readTree(output.substring(output.indexOf('{')));
  }

  @Test
  void everyContenderReportsItsRateCpuAndMemory() throws Exception {
    JsonNode f =
        json(bench(0, "--messages", "200", "--seed-messages", "100", "--rounds", "1", "--json"));
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

    // Start-up: one task, then four at once, with the worker's class-data archive and without.
    JsonNode with = f.get("taskStartMs");
    JsonNode without = f.get("taskStartWithoutCds").get("ms");
    for (JsonNode ms : List.of(with, without)) {
      for (String key : List.of("one", "four", "oneFirstReceive", "fourFirstReceive")) {
        assertThat(ms.get(key).asLong()).as(key).isPositive();
      }
      // The first item is written after the first receive, and four JVMs on the machine's cores
      // are not ready sooner than one.
      assertThat(ms.get("one").asLong()).isGreaterThanOrEqualTo(ms.get("oneFirstReceive").asLong());
      assertThat(ms.get("four").asLong())
          .isGreaterThanOrEqualTo(ms.get("fourFirstReceive").asLong());
    }
    assertThat(f.get("taskStartCpuMs").get("one").asLong()).isPositive();
    assertThat(f.get("taskStartWithoutCds").get("cpuMs").get("one").asLong()).isPositive();
    assertThat(f.get("taskStartCdsTrainingMs").asLong()).isPositive();
    // The archive is used: most classes come from it, against few (the JDK's own) without it.
    long shared = f.get("taskStartClassesShared").asLong();
    assertThat(shared).isGreaterThan(f.get("taskStartWithoutCds").get("classesShared").asLong());
    assertThat(shared * 10).isGreaterThan(f.get("taskStartClassesLoaded").asLong() * 9);
    assertThat(f.get("taskStartOneVsWithoutCds").asDouble())
        .isCloseTo(with.get("one").asDouble() / without.get("one").asDouble(), within(0.01));
    assertThat(f.get("taskStartCpuVsWithoutCds").asDouble())
        .isCloseTo(
            f.get("taskStartCpuMs").get("one").asDouble()
                / f.get("taskStartWithoutCds").get("cpuMs").get("one").asDouble(),
            within(0.01));
    // The function's cold start: init and a first invocation that launched tasks, then a warm one.
    JsonNode fn = f.get("functionColdStart");
    assertThat(f.get("functionColdStartMs").asLong())
        .isEqualTo(fn.get("initMs").asLong() + fn.get("firstInvokeMs").asLong());
    assertThat(fn.get("constructorMs").asLong()).isLessThanOrEqualTo(fn.get("initMs").asLong());
    assertThat(fn.get("warmInvokeMs").asLong()).isNotNegative();
  }

  @Test
  void aScaleSmallerThanTheBaseDrainIsAUsageError() throws Exception {
    assertThat(bench(2, "--messages", "1000", "--scale", "500"))
        .contains("--scale must be 1000 (--messages)..10000000, was 500");
  }
}
