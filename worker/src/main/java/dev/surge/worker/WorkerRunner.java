package dev.surge.worker;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.RequestCounter;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs one worker as a process: builds the clients, handles SIGTERM (stop receiving, finish or
 * release what is in hand within the grace period, print the summary, exit with the outcome's code:
 * 0 stopped or drained, 1 failed or not finished within the grace, 2 misconfigured), and prints one
 * summary line for launchers and benchmarks to read. Used by the container entry point and by
 * {@code surge work}.
 */
public final class WorkerRunner {
  private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

  /** Line a worker prints on standard output once its queue and table are confirmed. */
  public static final String READY_PREFIX = "SURGE_WORKER_READY ";

  /** Prefix of the one-line JSON summary a worker prints on standard output when it ends. */
  public static final String SUMMARY_PREFIX = "SURGE_WORKER_SUMMARY ";

  private WorkerRunner() {}

  /**
   * Runs to the end; returns the process exit code.
   *
   * @param stopOnStdinEof stop gracefully when standard input reaches its end: a launcher that
   *     holds the other end of the pipe thereby stops its workers even if it dies abruptly
   */
  public static int run(
      WorkerSettings settings,
      AwsTarget target,
      TaskIdentity identity,
      PrintWriter out,
      boolean stopOnStdinEof) {
    return run(settings, target, identity, out, stopOnStdinEof, true);
  }

  /**
   * As {@link #run(WorkerSettings, AwsTarget, TaskIdentity, PrintWriter, boolean)}; with {@code
   * protocolLines} false (a person at a terminal), the ready line is left out and the summary is a
   * sentence instead of {@value #SUMMARY_PREFIX}JSON.
   */
  public static int run(
      WorkerSettings settings,
      AwsTarget target,
      TaskIdentity identity,
      PrintWriter out,
      boolean stopOnStdinEof,
      boolean protocolLines) {
    RequestCounter requests = new RequestCounter();
    AwsClients clients = new AwsClients(target, settings.concurrency() * 2 + 4, List.of(requests));
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      Worker worker = new Worker(settings, identity, sqs, dynamodb, Clock.systemUTC());
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger exitCode = new AtomicInteger(1);
      CountDownLatch summarized = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                if (done.get()) {
                  return; // a normal exit: nothing to drain
                }
                worker.stop();
                int code = 1;
                try {
                  // A few seconds for the summary: on a loaded machine printing it can take a
                  // moment after the last batch is settled.
                  if (worker.awaitFinished(settings.shutdownGrace())
                      && summarized.await(5, TimeUnit.SECONDS)) {
                    code = exitCode.get();
                  } else {
                    log.warn(
                        "not finished after {} s; held messages return after their visibility"
                            + " timeout",
                        settings.shutdownGrace().toSeconds());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                out.flush();
                // A signal makes the JVM exit 143; the worker's own outcome is the truth: a stop
                // that finished what was in hand is a success, anything else is not.
                Runtime.getRuntime().halt(code);
              },
              "worker-sigterm");
      Runtime.getRuntime().addShutdownHook(hook);
      if (stopOnStdinEof) {
        watchStdin(worker);
      }
      worker.onReady(
          () -> {
            if (!protocolLines) {
              return;
            }
            out.println(
                READY_PREFIX
                    + new JsonLine().put("taskId", identity.taskId()).put("host", identity.host()));
            out.flush();
          });
      WorkerResult result = worker.run();
      done.set(true);
      if (protocolLines) {
        printSummary(out, identity, result, requests, worker.startup());
      } else {
        printSentence(out, result, requests);
      }
      exitCode.set(result.outcome().exitCode());
      summarized.countDown();
      return result.outcome().exitCode();
    }
  }

  private static void watchStdin(Worker worker) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // nothing is expected on stdin; only its end matters
                }
              } catch (java.io.IOException e) {
                // a broken pipe is an end too
              }
              log.info("launcher gone (standard input closed)");
              worker.stop();
            },
            "stdin-watch");
    t.setDaemon(true);
    t.start();
  }

  private static void printSentence(PrintWriter out, WorkerResult result, RequestCounter requests) {
    WorkerStats.Snapshot s = result.stats();
    out.printf(
        java.util.Locale.ROOT,
        "%s: %d received, %d written and deleted, %d rejected, %d left for redelivery; %.1f msg/s"
            + " while busy, %s, %d requests, peak RSS %d MB%s%n",
        result.outcome().name().toLowerCase(java.util.Locale.ROOT),
        s.received(),
        s.deleted(),
        s.rejected(),
        s.retried() + s.deleteFailures(),
        s.throughput(),
        s.cpuMillisPerThousand() < 0
            ? "CPU unknown"
            : String.format(
                java.util.Locale.ROOT, "%.0f ms CPU per 1,000", s.cpuMillisPerThousand()),
        requests.total(),
        peakRssMb(),
        result.error().map(e -> "; " + e).orElse(""));
    out.flush();
  }

  private static void printSummary(
      PrintWriter out,
      TaskIdentity identity,
      WorkerResult result,
      RequestCounter requests,
      StartupMarks startup) {
    WorkerStats.Snapshot s = result.stats();
    JsonLine json =
        new JsonLine()
            .put("taskId", identity.taskId())
            .put("host", identity.host())
            .put("outcome", result.outcome().name())
            .put("received", s.received())
            .put("redelivered", s.redelivered())
            .put("written", s.written())
            .put("deleted", s.deleted())
            .put("rejected", s.rejected())
            .put("retried", s.retried())
            .put("deleteFailures", s.deleteFailures())
            .put("receives", s.receives())
            .put("emptyReceives", s.emptyReceives())
            .put("busyMillis", s.busyMillis())
            .put("messagesPerSecond", Math.round(s.throughput() * 10) / 10.0)
            // CPU over the busy window (what a message costs) and over the whole life (start-up).
            .put("cpuMillis", s.busyCpuMillis())
            .put("processCpuMillis", ProcessCpu.millis())
            .put("requests", requests.total())
            .put("sqsRequests", requests.sqs())
            .put("dynamoDbRequests", requests.dynamoDb());
    requests.snapshot().forEach((op, n) -> json.put("requests" + op, n));
    json.put("peakHeapMb", peakHeapMb()).put("peakRssMb", peakRssMb());
    JsonLine start = new JsonLine();
    startup
        .firstReceive()
        .ifPresent(
            m ->
                start
                    .put("firstReceiveMs", m.sinceStartMillis())
                    .put("firstReceiveCpuMs", m.cpuMillis()));
    startup
        .firstWrite()
        .ifPresent(
            m ->
                start
                    .put("firstWriteMs", m.sinceStartMillis())
                    .put("firstWriteCpuMs", m.cpuMillis()));
    json.put("startup", start);
    result.error().ifPresent(e -> json.put("error", e));
    out.println(SUMMARY_PREFIX + json);
    out.flush();
  }

  /** This process's peak resident set size ({@code VmHWM}), or -1 where /proc is unavailable. */
  public static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** The largest heap in use so far: the sum of every heap pool's peak. */
  public static long peakHeapMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024 * 1024);
  }
}
