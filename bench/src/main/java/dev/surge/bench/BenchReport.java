package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable tables of {@code surge bench} and {@code surge bench --scale}. */
public final class BenchReport {
  private BenchReport() {}

  /** The tables of {@code figures} ({@link Bench#measure}): of a scale run, or of the others. */
  public static void print(PrintWriter out, JsonNode figures) {
    if (figures.has("mode") && figures.get("mode").asText().equals("scale")) {
      printScale(out, figures);
    } else {
      printRun(out, figures);
    }
  }

  static void printRun(PrintWriter out, JsonNode f) {
    if (f.has("messages")) {
      printThroughput(out, f);
    }
    if (f.has("taskStartMs")) {
      StartReport.print(out, f);
    }
  }

  private static void printThroughput(PrintWriter out, JsonNode f) {
    out.printf(
        Locale.ROOT,
        "%nsurge bench: %d messages per drain (%d for the seed loops), concurrency %d, %d cores,"
            + " best of %d rounds; every contender's JVM: %s%n%n",
        f.get("messages").asLong(),
        f.get("seedMessages").asLong(),
        f.get("concurrency").asInt(),
        f.get("cores").asInt(),
        f.get("rounds").asInt(),
        f.get("jvmOptions").asText());
    int k = f.get("concurrency").asInt();
    out.printf(
        Locale.ROOT,
        "  %-62s %8s %12s %10s %8s%n",
        "contender",
        "msg/s",
        "requests/msg",
        "CPU ms/1k",
        "RSS MB");
    row(
        out,
        "(a) raw SDK loop x" + k + ": receive 10 > BatchWriteItem > DeleteBatch",
        f,
        "raw",
        "rawRequestsPerMessage");
    row(out, "(b) surge worker, " + k + " pollers", f, "worker", "requestsPerMessage");
    boolean spring = f.hasNonNull("springMsgPerSec");
    if (spring) {
      row(
          out,
          "(d) Spring Cloud AWS batch listener, " + k * 10 + " messages in flight",
          f,
          "spring",
          "springRequestsPerMessage");
    } else {
      out.printf(
          Locale.ROOT,
          "  (d) Spring Cloud AWS batch listener: not measured (%s)%n",
          f.path("springPeerMissing").asText("not run"));
    }
    row(
        out,
        "(c) seed task: one loop, receive 1 > PutItem > DeleteMessage",
        f,
        "seed",
        "seedRequestsPerMessage");
    row(out, "    the same seed loop x" + k, f, "seedSameConcurrency", null);
    row(out, "surge producer (SendMessageBatch of 10, " + k + " senders)", f, "producer", null);
    row(out, "raw SendMessageBatch loop, " + k + " senders", f, "rawProducer", null);
    out.println();
    check(out, "worker / raw loop      (b/a)", f.get("workerVsRaw").asDouble(), ">=", 0.8);
    if (spring) {
      check(out, "worker / Spring        (b/d)", f.get("workerVsSpring").asDouble(), ">=", 1);
    }
    check(out, "worker / seed task     (b/c)", f.get("workerVsSeed").asDouble(), ">=", 10);
    out.printf(
        Locale.ROOT,
        "  worker / seed loop x%d         %7.2f   (same concurrency, for reference)%n",
        k,
        f.get("workerVsSeedSameConcurrency").asDouble());
    check(out, "requests per message   (b)  ", f.get("requestsPerMessage").asDouble(), "<=", 0.35);
    check(out, "producer / raw sender       ", f.get("producerVsRaw").asDouble(), ">=", 0.8);
    check(out, "CPU per message, b / a      ", f.get("workerVsRawCpu").asDouble(), "<=", 1.1);
    if (spring) {
      check(out, "CPU per message, b / d      ", f.get("workerVsSpringCpu").asDouble(), "<", 1);
    }
    check(out, "worker peak RSS, MB    (b)  ", f.get("workerPeakRssMb").asDouble(), "<=", 128);
    if (spring) {
      check(out, "peak RSS, b / d             ", f.get("workerVsSpringRss").asDouble(), "<", 1);
    }
    out.printf(
        Locale.ROOT,
        "  on a 0.25 vCPU task the worker's own CPU allows %d msg/s (the raw loop's %d%s)%n",
        f.get("workerQuarterVcpuMsgPerSec").asLong(),
        f.get("rawQuarterVcpuMsgPerSec").asLong(),
        spring ? ", Spring's " + f.get("springQuarterVcpuMsgPerSec").asLong() : "");
    out.printf(
        Locale.ROOT,
        "  worker peak heap %d MB%s%n",
        f.get("workerPeakHeapMb").asLong(),
        spring ? "; Spring's " + f.get("springPeakHeapMb").asLong() + " MB" : "");
    if (spring && f.path("springLost").asLong() != 0) {
      out.printf(
          Locale.ROOT,
          "  the Spring peer deleted %d messages without writing their items%n",
          f.get("springLost").asLong());
    }
  }

  static void printScale(PrintWriter out, JsonNode f) {
    out.printf(
        Locale.ROOT,
        "%nsurge bench --scale: one worker, %d pollers, drains %d messages; %d cores; the"
            + " worker's JVM: %s%n%n",
        f.get("concurrency").asInt(),
        f.get("scaleMessages").asLong(),
        f.get("cores").asInt(),
        f.get("jvmOptions").asText());
    out.printf(
        Locale.ROOT,
        "  %d-message drain  %8d msg/s  %6.1f CPU ms/1k  (before %d, after %d msg/s)%n",
        f.get("scaleBaseMessages").asLong(),
        f.get("scaleBaseMsgPerSec").asLong(),
        f.get("scaleBaseCpuMsPer1k").asDouble(),
        f.get("scaleBaseBeforeMsgPerSec").asLong(),
        f.get("scaleBaseAfterMsgPerSec").asLong());
    out.printf(
        Locale.ROOT,
        "  %d-message drain  %8d msg/s  %6.1f CPU ms/1k  (%.1f s busy; filled at %d msg/s)%n",
        f.get("scaleMessages").asLong(),
        f.get("scaleMsgPerSec").asLong(),
        f.get("scaleCpuMsPer1k").asDouble(),
        f.get("scaleBusySeconds").asDouble(),
        f.get("scaleFillMsgPerSec").asLong());
    out.println();
    check(out, "large drain / base drain    ", f.get("scaleVsBase").asDouble(), ">=", 0.9);
    check(out, "messages lost               ", f.get("scaleLost").asDouble(), "<=", 0);
    check(out, "left in the queue           ", f.get("scaleQueueLeft").asDouble(), "<=", 0);
    out.printf(
        Locale.ROOT,
        "  items in the table %d, dead-lettered %d, redelivered %d%n",
        f.get("scaleItems").asLong(),
        f.get("scaleDeadLettered").asLong(),
        f.get("scaleRedelivered").asLong());
    out.printf(
        Locale.ROOT,
        "  worker RSS MB at 10%%..100%% of the drain: %s; second half %d..%d, peak %d%n",
        f.get("scaleWorkerRssMb"),
        f.get("scaleWorkerRssSecondHalfMinMb").asLong(),
        f.get("scaleWorkerRssSecondHalfMaxMb").asLong(),
        f.get("scaleWorkerPeakRssMb").asLong());
    JsonNode s = f.get("standInsRssMb");
    out.printf(
        Locale.ROOT,
        "  stand-ins: this JVM (ElasticMQ) peak RSS %d MB, heap %d MB after a full GC with the"
            + " queue filled (max %d MB); dynalite peak RSS %d MB%n",
        s.get("benchJvm").asLong(),
        f.get("standInsBenchHeapAfterFillMb").asLong(),
        f.get("standInsBenchMaxHeapMb").asLong(),
        s.get("dynalite").asLong());
  }

  private static void row(PrintWriter out, String name, JsonNode f, String key, String rpm) {
    JsonNode cpu = f.get(key + "CpuMsPer1k");
    JsonNode rss = f.get(key + "PeakRssMb");
    out.printf(
        Locale.ROOT,
        "  %-62s %8.0f %12s %10s %8s%n",
        name,
        f.get(key + "MsgPerSec").asDouble(),
        rpm == null ? "" : String.format(Locale.ROOT, "%.2f", f.get(rpm).asDouble()),
        cpu == null ? "" : String.format(Locale.ROOT, "%.0f", cpu.asDouble()),
        rss == null ? "" : Long.toString(rss.asLong()));
  }

  private static void check(PrintWriter out, String name, double v, String op, double target) {
    boolean ok =
        switch (op) {
          case ">=" -> v >= target;
          case "<" -> v < target;
          default -> v <= target;
        };
    out.printf(
        Locale.ROOT,
        "  %s %7.2f   target %s %s  %s%n",
        name,
        v,
        op,
        target == Math.rint(target) ? Long.toString((long) target) : Double.toString(target),
        ok ? "met" : "NOT met");
  }
}
