package dev.surge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.bench.Bench;
import dev.surge.bench.BenchReport;
import dev.surge.core.ConfigException;
import dev.surge.core.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code surge bench}: the options, one call of the bench ({@link Bench}, module {@code bench}),
 * and its figures printed as tables or JSON.
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
final class BenchCommand implements Callable<Integer> {
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
  BenchCommand(Map<String, String> env) {
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
    ObjectNode figures =
        Bench.measure(
            new Bench.Settings(
                messages, seedCount, concurrency, rounds, Optional.ofNullable(scale), startOnly),
            env,
            spec.commandLine().getErr());
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(figures));
    } else {
      BenchReport.print(out, figures);
    }
    return 0;
  }
}
