package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/** The start-up part of {@code surge bench}'s table. */
final class StartReport {
  private StartReport() {}

  static void print(PrintWriter out, JsonNode f) {
    JsonNode with = f.get("taskStartMs");
    JsonNode withCpu = f.get("taskStartCpuMs");
    JsonNode without = f.get("taskStartWithoutCds");
    out.printf(
        Locale.ROOT,
        "%nstart-up: worker process start to first item written (first receive), best of %d%n%n",
        f.get("rounds").asInt());
    out.printf(
        Locale.ROOT,
        "  %-34s %22s %22s %10s %9s%n",
        "",
        "one task, ms",
        "four at once, ms",
        "CPU ms",
        "classes");
    row(out, "without class-data sharing", without.get("ms"), without.get("cpuMs"), without, "");
    row(out, "with the worker's AppCDS archive", with, withCpu, f, "taskStart");
    out.printf(
        Locale.ROOT,
        "  with / without: one task %.2f, four at once %.2f, CPU %.2f (archive made in %d ms by a"
            + " first task)%n",
        f.get("taskStartOneVsWithoutCds").asDouble(),
        f.get("taskStartFourVsWithoutCds").asDouble(),
        f.get("taskStartCpuVsWithoutCds").asDouble(),
        f.get("taskStartCdsTrainingMs").asLong());
    check(out, "start-up CPU, with / without CDS", f.get("taskStartCpuVsWithoutCds").asDouble());
    if (f.has("functionColdStartMs")) {
      JsonNode fn = f.get("functionColdStart");
      out.printf(
          Locale.ROOT,
          "%n  function cold start %d ms: init %d ms (handler constructor %d ms), first invocation"
              + " %d ms, a warm one %d ms%n",
          f.get("functionColdStartMs").asLong(),
          fn.get("initMs").asLong(),
          fn.get("constructorMs").asLong(),
          fn.get("firstInvokeMs").asLong(),
          fn.get("warmInvokeMs").asLong());
    }
  }

  private static void row(
      PrintWriter out, String name, JsonNode ms, JsonNode cpu, JsonNode classes, String prefix) {
    String loaded = prefix.isEmpty() ? "classesLoaded" : prefix + "ClassesLoaded";
    String shared = prefix.isEmpty() ? "classesShared" : prefix + "ClassesShared";
    out.printf(
        Locale.ROOT,
        "  %-34s %12d (%7d) %12d (%7d) %10d %4d/%d shared%n",
        name,
        ms.get("one").asLong(),
        ms.get("oneFirstReceive").asLong(),
        ms.get("four").asLong(),
        ms.get("fourFirstReceive").asLong(),
        cpu.get("one").asLong(),
        classes.get(shared).asLong(),
        classes.get(loaded).asLong());
  }

  private static void check(PrintWriter out, String name, double ratio) {
    out.printf(
        Locale.ROOT,
        "  %s %.2f   target <= 0.5  %s%n",
        name,
        ratio,
        ratio <= 0.5 ? "met" : "NOT met");
  }
}
