package dev.surge.bench;

import dev.surge.aws.SqsBacklogProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples, while a worker drains one queue, the queue's visible backlog and the resident set sizes
 * of the worker, the dynalite process and this JVM (which hosts ElasticMQ), read from {@code /proc}
 * by process id, the same way for every process.
 */
final class DrainSampler implements AutoCloseable {
  /**
   * One sample.
   *
   * @param millis since sampling started
   * @param visible messages visible in the queue
   * @param workerRssMb the worker's RSS (-1 before it started or after it ended)
   * @param dynaliteRssMb dynalite's RSS
   * @param benchRssMb this JVM's RSS (ElasticMQ and the bench)
   */
  record Sample(long millis, long visible, long workerRssMb, long dynaliteRssMb, long benchRssMb) {}

  private final SqsBacklogProbe probe;
  private final long dynalitePid;
  private final Duration every;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private volatile ProcessHandle worker;
  private volatile boolean closed;
  private Thread thread;

  DrainSampler(SqsBacklogProbe probe, long dynalitePid, Duration every) {
    this.probe = probe;
    this.dynalitePid = dynalitePid;
    this.every = every;
  }

  /** Starts sampling, with {@code worker} as the worker's process. */
  void watch(ProcessHandle worker) {
    this.worker = worker;
    long self = ProcessHandle.current().pid();
    long t0 = System.nanoTime();
    thread =
        new Thread(
            () -> {
              while (!closed && this.worker.isAlive()) {
                long visible;
                try {
                  visible = probe.depth().visible();
                } catch (RuntimeException e) {
                  visible = -1; // a missed reading of the queue; the RSS figures still count
                }
                samples.add(
                    new Sample(
                        (System.nanoTime() - t0) / 1_000_000,
                        visible,
                        ProcMemory.rssMb(this.worker.pid()),
                        ProcMemory.rssMb(dynalitePid),
                        ProcMemory.rssMb(self)));
                try {
                  Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** The samples taken while the worker's RSS could be read. */
  List<Sample> samples() {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.workerRssMb() > 0) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The worker's RSS at each tenth of the drain: element {@code k} is the first sample at which at
   * least {@code (k + 1) / 10} of {@code total} had left the visible backlog (the last sample when
   * none had yet).
   */
  static List<Long> workerRssByTenth(List<Sample> samples, long total) {
    List<Long> out = new ArrayList<>();
    if (samples.isEmpty()) {
      return out;
    }
    for (int k = 1; k <= 10; k++) {
      long need = (total * k + 9) / 10;
      Sample at = samples.get(samples.size() - 1);
      for (Sample s : samples) {
        if (s.visible() >= 0 && total - s.visible() >= need) {
          at = s;
          break;
        }
      }
      out.add(at.workerRssMb());
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
