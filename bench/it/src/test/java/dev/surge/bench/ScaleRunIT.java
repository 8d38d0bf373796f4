package dev.surge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code surge bench --scale}, run in this JVM as the command runs it, on small counts: every
 * message accounted for and the memory sampled, every figure there and consistent with the others.
 * Speed is not checked here; the bench measures it. (It was BenchIT's, against the packaged jar;
 * BenchIT keeps the contest, whose start-up figures need the jar.)
 */
class ScaleRunIT {
  // surge bench --messages M --scale N: the other flags' defaults.
  private static JsonNode scale(long messages, long scale)
      throws IOException, InterruptedException {
    StringWriter progress = new StringWriter();
    try {
      return Bench.measure(
          new Bench.Settings(
              messages, Math.max(300, messages / 20), 4, 2, Optional.of(scale), false),
          Map.of(),
          new PrintWriter(progress, true));
    } catch (RuntimeException e) {
      throw new AssertionError("the bench failed; its progress:\n" + progress, e);
    }
  }

  @Test
  void theScaleModeAccountsForEveryMessageAndSamplesMemory() throws Exception {
    JsonNode f = scale(200, 2500);
    assertThat(f.get("mode").asText()).isEqualTo("scale");
    assertThat(f.get("scaleMessages").asLong()).isEqualTo(2500);
    assertThat(f.get("scaleItems").asLong()).isEqualTo(2500);
    assertThat(f.get("scaleLost").asLong()).isZero();
    assertThat(f.get("scaleQueueLeft").asLong()).isZero();
    assertThat(f.get("scaleDeadLettered").asLong()).isZero();
    assertThat(f.get("scaleDeleted").asLong()).isGreaterThanOrEqualTo(2500);
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
