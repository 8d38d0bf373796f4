package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.observe.Accounting;
import dev.surge.core.port.QueueDepth;
import dev.surge.run.Run;
import dev.surge.table.ItemCount;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code surge bench --scale}: one worker drains a large queue (a million messages by default)
 * while its RSS and the stand-ins' are sampled; the same worker drains the base count before and
 * after it, on the same stand-ins, for the rate to compare with; then the table is counted and the
 * queue checked, so every message is accounted for.
 */
final class ScaleRun {
  private final Contest contest;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final long dynalitePid;
  private final PrintWriter progress;

  ScaleRun(
      Contest contest,
      SqsClient sqs,
      DynamoDbClient dynamodb,
      long dynalitePid,
      PrintWriter progress) {
    this.contest = contest;
    this.sqs = sqs;
    this.dynamodb = dynamodb;
    this.dynalitePid = dynalitePid;
    this.progress = progress;
  }

  /**
   * Runs the base drains and the scale drain; adds their figures to {@code o}. The scale drain is a
   * {@link Run} as every command's: fill the queue, wait until its one worker (a fixed fleet the
   * bench starts itself) has stopped, then count the table and account for every message.
   */
  void run(ObjectNode o, long base, long scale, int concurrency)
      throws IOException, InterruptedException {
    BenchFigures before = contest.worker(base, concurrency, 1);
    AtomicReference<Contest.Fresh> filled = new AtomicReference<>();
    AtomicReference<SqsBacklogProbe> probe = new AtomicReference<>();
    AtomicReference<DrainSampler> sampler = new AtomicReference<>();
    AtomicReference<JsonNode> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong benchHeapMb = new AtomicLong();
    Thread worker =
        new Thread(
            () -> {
              try {
                result.set(contest.worker(filled.get(), sampler.get()::watch));
              } catch (IOException | RuntimeException e) {
                failure.set(e);
              } catch (InterruptedException e) {
                failure.set(e);
                Thread.currentThread().interrupt();
              }
            },
            "bench-scale-worker");
    try {
      Run.onSystemClock()
          .run(
              () -> {
                progress.printf(Locale.ROOT, "bench: filling a queue with %d messages...%n", scale);
                progress.flush();
                Contest.Fresh q = contest.fresh("scale", scale, concurrency);
                filled.set(q);
                benchHeapMb.set(heapAfterGcMb());
                progress.printf(
                    Locale.ROOT,
                    "bench: surge worker, %d messages (filled at %.0f msg/s)...%n",
                    scale,
                    scale * 1000.0 / Math.max(1, q.fillMillis()));
                progress.flush();
                probe.set(new SqsBacklogProbe(sqs, q.queue().url()));
                sampler.set(new DrainSampler(probe.get(), dynalitePid, Duration.ofMillis(500)));
                // The fleet: one worker, started by the bench once the queue is full.
                worker.start();
                return Run.Sending.finished(scale); // fresh() fails unless every one was sent
              },
              () ->
                  worker.isAlive()
                      ? Run.Look.fleetRunning()
                      : Run.Look.of(probe.get().depth().empty(), true),
              Run.Waiting.every(Duration.ofMillis(100)).fixedFleet(),
              Run.Progress.NONE,
              drain -> {
                worker.join();
                sampler.get().close();
                if (failure.get() != null) {
                  throw new WorkerFailed(failure.get());
                }
                try {
                  figures(
                      o,
                      base,
                      scale,
                      concurrency,
                      before,
                      filled.get(),
                      probe.get(),
                      sampler.get().samples(),
                      result.get(),
                      benchHeapMb.get());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return o;
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (WorkerFailed e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof InterruptedException ie) {
        throw ie;
      }
      throw (RuntimeException) e.getCause();
    }
  }

  /** The scale drain's worker failed: its own exception, carried out of the run. */
  private static final class WorkerFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkerFailed(Exception cause) {
      super(cause);
    }
  }

  // The base drain after the scale drain, then the count of the table, the queue and the
  // dead-letter queue, and the figures.
  private void figures(
      ObjectNode o,
      long base,
      long scale,
      int concurrency,
      BenchFigures before,
      Contest.Fresh q,
      SqsBacklogProbe probe,
      List<DrainSampler.Sample> samples,
      JsonNode r,
      long benchHeapMb)
      throws IOException, InterruptedException {
    BenchFigures after = contest.worker(base, concurrency, 2);
    progress.printf(Locale.ROOT, "bench: counting the table...%n");
    progress.flush();
    long items = ItemCount.of(dynamodb, q.table());
    QueueDepth left = probe.depth();
    QueueDepth dead = new SqsBacklogProbe(sqs, q.queue().deadLetterUrl()).depth();
    // A scale drain counts the table only: a message dead-lettered or left was not drained.
    Accounting accounting = Accounting.of(scale, items, 0);
    BenchFigures drain = BenchFigures.of(r, "deleted", "busyMillis");

    double baseRate = (before.rate() + after.rate()) / 2;
    o.put("scaleMessages", scale);
    o.put("scaleFillMsgPerSec", Math.round(scale * 1000.0 / Math.max(1, q.fillMillis())));
    o.put("scaleMsgPerSec", Math.round(drain.rate()));
    o.put("scaleBaseMessages", base);
    o.put("scaleBaseMsgPerSec", Math.round(baseRate));
    o.put("scaleBaseBeforeMsgPerSec", Math.round(before.rate()));
    o.put("scaleBaseAfterMsgPerSec", Math.round(after.rate()));
    o.put("scaleVsBase", Bench.round2(drain.rate() / baseRate));
    o.put("scaleCpuMsPer1k", Bench.round1(drain.cpuMsPerThousand()));
    o.put(
        "scaleBaseCpuMsPer1k",
        Bench.round1((before.cpuMsPerThousand() + after.cpuMsPerThousand()) / 2));
    o.put("scaleBusySeconds", Math.round(drain.millis() / 100.0) / 10.0);
    ArrayNode tenths = o.putArray("scaleWorkerRssMb");
    DrainSampler.workerRssByTenth(samples, scale).forEach(tenths::add);
    List<DrainSampler.Sample> secondHalf = samples.subList(samples.size() / 2, samples.size());
    o.put(
        "scaleWorkerRssSecondHalfMinMb",
        secondHalf.stream().mapToLong(DrainSampler.Sample::workerRssMb).min().orElse(-1));
    o.put(
        "scaleWorkerRssSecondHalfMaxMb",
        secondHalf.stream().mapToLong(DrainSampler.Sample::workerRssMb).max().orElse(-1));
    // The worker reads its own peak (VmHWM) when it prints its summary; a sample from /proc can
    // come later, while its JVM shuts down, and be a megabyte above that: the peak is the larger.
    o.put(
        "scaleWorkerPeakRssMb",
        Math.max(
            drain.peakRssMb(),
            samples.stream().mapToLong(DrainSampler.Sample::workerRssMb).max().orElse(-1)));
    o.put("scaleWorkerPeakHeapMb", drain.peakHeapMb());
    o.put("scaleRssSamples", samples.size());
    o.put("scaleDeleted", r.get("deleted").asLong());
    o.put("scaleRedelivered", r.get("redelivered").asLong());
    o.put("scaleItems", items);
    o.put("scaleLost", accounting.unaccounted());
    o.put("scaleQueueLeft", left.visible() + left.inFlight() + left.delayed());
    o.put("scaleDeadLettered", dead.visible() + dead.inFlight() + dead.delayed());
    ObjectNode standIns = o.putObject("standInsRssMb");
    standIns.put(
        "benchJvm", samples.stream().mapToLong(DrainSampler.Sample::benchRssMb).max().orElse(-1));
    standIns.put(
        "dynalite",
        samples.stream().mapToLong(DrainSampler.Sample::dynaliteRssMb).max().orElse(-1));
    standIns.put("dynaliteAfterCount", ProcMemory.rssMb(dynalitePid));
    o.put("standInsBenchHeapAfterFillMb", benchHeapMb);
    o.put("standInsBenchMaxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  /** This JVM's heap in use after a full collection: ElasticMQ's queues, live. */
  private static long heapAfterGcMb() {
    ManagementFactory.getMemoryMXBean().gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }
}
