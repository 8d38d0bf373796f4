package dev.surge.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable table of {@code surge bench}. */
final class BenchReport {
  private BenchReport() {}

  static void print(PrintWriter out, JsonNode f) {
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
            + " best of %d rounds%n%n",
        f.get("messages").asLong(),
        f.get("seedMessages").asLong(),
        f.get("concurrency").asInt(),
        f.get("cores").asInt(),
        f.get("rounds").asInt());
    int k = f.get("concurrency").asInt();
    out.printf(Locale.ROOT, "  %-62s %10s %14s%n", "contender", "msg/s", "requests/msg");
    row(
        out,
        "(a) raw SDK loop x" + k + ": receive 10 > BatchWriteItem > DeleteBatch",
        f,
        "raw",
        "rawRequestsPerMessage");
    row(out, "(b) surge worker, " + k + " pollers", f, "worker", "requestsPerMessage");
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
    check(out, "worker / seed task     (b/c)", f.get("workerVsSeed").asDouble(), ">=", 10);
    out.printf(
        Locale.ROOT,
        "  worker / seed loop x%d         %7.2f   (same concurrency, for reference)%n",
        k,
        f.get("workerVsSeedSameConcurrency").asDouble());
    check(out, "requests per message   (b)  ", f.get("requestsPerMessage").asDouble(), "<=", 0.35);
    check(out, "producer / raw sender       ", f.get("producerVsRaw").asDouble(), ">=", 0.8);
    out.printf(
        Locale.ROOT,
        "  worker peak heap %d MB, peak RSS %d MB (raw loop RSS %d MB)%n",
        f.get("workerPeakHeapMb").asLong(),
        f.get("workerPeakRssMb").asLong(),
        f.get("rawPeakRssMb").asLong());
  }

  private static void row(PrintWriter out, String name, JsonNode f, String key, String rpm) {
    out.printf(
        Locale.ROOT,
        "  %-62s %10.0f %14s%n",
        name,
        f.get(key + "MsgPerSec").asDouble(),
        rpm == null ? "" : String.format(Locale.ROOT, "%.2f", f.get(rpm).asDouble()));
  }

  private static void check(PrintWriter out, String name, double v, String op, double target) {
    boolean ok = op.equals(">=") ? v >= target : v <= target;
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
