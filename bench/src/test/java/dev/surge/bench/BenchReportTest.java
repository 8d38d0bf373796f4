package dev.surge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The human-readable tables, from figures given here: each goal is judged from its figure. */
class BenchReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String print(ObjectNode f, boolean scale) {
    StringWriter s = new StringWriter();
    try (PrintWriter out = new PrintWriter(s)) {
      if (scale) {
        BenchReport.printScale(out, f);
      } else {
        BenchReport.print(out, f);
      }
    }
    return s.toString();
  }

  private static ObjectNode common() {
    ObjectNode f = JSON.createObjectNode();
    f.put("messages", 20000).put("concurrency", 4).put("cores", 2);
    f.put("jvmOptions", "-XX:+UseSerialGC");
    return f;
  }

  @Test
  void theContestShowsCpuAndRssPerContenderAndJudgesTheirGoals() {
    String out = print(contest(), false);

    assertThat(out)
        .contains("CPU ms/1k", "RSS MB")
        .containsPattern("\\(b\\) surge worker, 4 pollers +1000 +0\\.30 +420 +120")
        .containsPattern("CPU per message, b / a +1\\.20 +target <= 1\\.1 +NOT met")
        .containsPattern("worker peak RSS, MB +\\(b\\) +120\\.00 +target <= 128 +met")
        .contains("the worker's own CPU allows 595 msg/s (the raw loop's 714)");
  }

  // A contest's figures without the Spring peer's (as an older run's JSON has them).
  private static ObjectNode contest() {
    ObjectNode f = common();
    f.put("seedMessages", 1000).put("rounds", 2);
    for (String k :
        List.of("raw", "worker", "seed", "seedSameConcurrency", "producer", "rawProducer")) {
      f.put(k + "MsgPerSec", 1000);
    }
    f.put("workerVsRaw", 0.95).put("workerVsSeed", 17).put("workerVsSeedSameConcurrency", 8);
    f.put("producerVsRaw", 1.0).put("requestsPerMessage", 0.3);
    f.put("rawRequestsPerMessage", 0.3).put("seedRequestsPerMessage", 3.0);
    f.put("workerCpuMsPer1k", 420.0).put("rawCpuMsPer1k", 350.0).put("workerVsRawCpu", 1.2);
    f.put("seedCpuMsPer1k", 5000.0).put("producerCpuMsPer1k", 100.0);
    f.put("rawProducerCpuMsPer1k", 90.0);
    f.put("workerQuarterVcpuMsgPerSec", 595).put("rawQuarterVcpuMsgPerSec", 714);
    f.put("workerPeakHeapMb", 40).put("workerPeakRssMb", 120).put("rawPeakRssMb", 118);
    f.put("seedPeakRssMb", 110).put("producerPeakRssMb", 100).put("rawProducerPeakRssMb", 99);
    return f;
  }

  private static ObjectNode contestWithSpring() {
    ObjectNode f = contest();
    f.put("springMsgPerSec", 800).put("springRequestsPerMessage", 0.31);
    f.put("workerVsSpring", 1.25).put("springCpuMsPer1k", 700.0).put("workerVsSpringCpu", 0.6);
    f.put("springPeakRssMb", 150).put("workerVsSpringRss", 0.8).put("springPeakHeapMb", 30);
    f.put("springQuarterVcpuMsgPerSec", 357).put("springLost", 0);
    return f;
  }

  @Test
  void theSpringPeerIsShownBesideTheRawLoopAndItsRatiosJudged() {
    String out = print(contestWithSpring(), false);

    assertThat(out)
        .containsPattern(
            "\\(d\\) Spring Cloud AWS batch listener, 40 messages in flight +800 +0\\.31 +700"
                + " +150")
        .containsPattern("worker / Spring +\\(b/d\\) +1\\.25 +target >= 1 +met")
        .containsPattern("CPU per message, b / d +0\\.60 +target < 1 +met")
        .containsPattern("peak RSS, b / d +0\\.80 +target < 1 +met")
        .contains("the worker's own CPU allows 595 msg/s (the raw loop's 714, Spring's 357)")
        .contains("worker peak heap 40 MB; Spring's 30 MB")
        .doesNotContain("without writing");
    // The peer's row is among the contenders', after the worker's and before the seed's.
    assertThat(out.indexOf("(b) surge worker"))
        .isLessThan(out.indexOf("(d) Spring"))
        .isLessThan(out.indexOf("(c) seed task"));
  }

  @Test
  void aSlowerOrHeavierWorkerAndALossAreSaidSo() {
    ObjectNode f = contestWithSpring();
    f.put("workerVsSpring", 0.9).put("workerVsSpringCpu", 1.0).put("workerVsSpringRss", 1.2);
    f.put("springLost", 3);

    String out = print(f, false);

    assertThat(out)
        .containsPattern("worker / Spring +\\(b/d\\) +0\\.90 +target >= 1 +NOT met")
        .containsPattern("CPU per message, b / d +1\\.00 +target < 1 +NOT met")
        .containsPattern("peak RSS, b / d +1\\.20 +target < 1 +NOT met")
        .contains("the Spring peer deleted 3 messages without writing their items");
  }

  @Test
  void withoutTheSpringPeerTheReportSaysWhyAndJudgesTheRest() {
    ObjectNode f = contest();
    for (String k : List.of("springMsgPerSec", "workerVsSpring", "springCpuMsPer1k")) {
      f.putNull(k);
    }
    f.put("springPeerMissing", "the Spring peer is not built: build it with mvn");

    String out = print(f, false);

    assertThat(out)
        .contains(
            "(d) Spring Cloud AWS batch listener: not measured (the Spring peer is not built:"
                + " build it with mvn)")
        .doesNotContain("b / d")
        .doesNotContain("(b/d)")
        .contains("the worker's own CPU allows 595 msg/s (the raw loop's 714)")
        .containsPattern("worker / raw loop +\\(b/a\\) +0\\.95");
  }

  @Test
  void theScaleModeJudgesLossLeftoversAndTheRateAgainstTheBase() {
    ObjectNode f = common();
    f.put("scaleMessages", 1000000).put("scaleBaseMessages", 20000);
    f.put("scaleBaseMsgPerSec", 1000).put("scaleBaseBeforeMsgPerSec", 990);
    f.put("scaleBaseAfterMsgPerSec", 1010).put("scaleBaseCpuMsPer1k", 400.0);
    f.put("scaleMsgPerSec", 850).put("scaleCpuMsPer1k", 380.0).put("scaleBusySeconds", 1176.5);
    f.put("scaleFillMsgPerSec", 5000).put("scaleVsBase", 0.85);
    f.put("scaleLost", 0).put("scaleQueueLeft", 3).put("scaleItems", 1000000);
    f.put("scaleDeadLettered", 0).put("scaleRedelivered", 0);
    f.putArray("scaleWorkerRssMb").add(100).add(101);
    f.put("scaleWorkerRssSecondHalfMinMb", 100).put("scaleWorkerRssSecondHalfMaxMb", 101);
    f.put("scaleWorkerPeakRssMb", 102);
    f.putObject("standInsRssMb").put("benchJvm", 1500).put("dynalite", 900);
    f.put("standInsBenchHeapAfterFillMb", 800).put("standInsBenchMaxHeapMb", 6000);

    String out = print(f, true);

    assertThat(out)
        .contains("drains 1000000 messages")
        .containsPattern("large drain / base drain +0\\.85 +target >= 0\\.9 +NOT met")
        .containsPattern("messages lost +0\\.00 +target <= 0 +met")
        .containsPattern("left in the queue +3\\.00 +target <= 0 +NOT met")
        .contains("worker RSS MB at 10%..100% of the drain: [100,101]; second half 100..101")
        .contains("peak RSS 1500 MB, heap 800 MB after a full GC")
        .contains("dynalite peak RSS 900 MB");
  }
}
