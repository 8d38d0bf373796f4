package dev.surge.chaos;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskView;
import dev.surge.local.tasks.ProcessTaskLauncher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples, every 100 ms while a chaos run goes on, the queue's depth (for the run's progress) and
 * the live fleet (for its largest size).
 */
final class FleetSampler {
  private final SqsBacklogProbe backlog;
  private final ProcessTaskLauncher launcher;
  private final AtomicReference<QueueDepth> depth = new AtomicReference<>(new QueueDepth(0, 0, 0));
  private final AtomicInteger maxSampled = new AtomicInteger();
  private volatile boolean sampling = true;
  private final Thread thread;

  private FleetSampler(SqsBacklogProbe backlog, ProcessTaskLauncher launcher) {
    this.backlog = backlog;
    this.launcher = launcher;
    this.thread =
        new Thread(
            () -> {
              while (sampling) {
                try {
                  depth.set(backlog.depth());
                } catch (RuntimeException e) {
                  // the next sample will do
                }
                maxSampled.accumulateAndGet(launcher.running(), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "chaos-sampler");
    thread.setDaemon(true);
  }

  /** Starts sampling. */
  static FleetSampler start(SqsBacklogProbe backlog, ProcessTaskLauncher launcher) {
    FleetSampler s = new FleetSampler(backlog, launcher);
    s.thread.start();
    return s;
  }

  /** The queue's depth at the last sample. */
  QueueDepth depth() {
    return depth.get();
  }

  /** Whether the queue is empty and no task runs, read now rather than sampled. */
  boolean quietNow() {
    return backlog.depth().empty() && launcher.running() == 0;
  }

  /** The largest fleet: sampled, or from the start and stop times of {@code tasks}. */
  int maxFleet(List<TaskView> tasks) {
    return Math.max(maxSampled.get(), maxOverlap(tasks));
  }

  /** Takes no further sample. */
  void stop() {
    sampling = false;
  }

  /** Stops sampling, and waits for the last sample to end. */
  void close() throws InterruptedException {
    stop();
    thread.join(5_000);
  }

  /** The most tasks alive at one instant, from each task's start and stop. */
  static int maxOverlap(List<TaskView> tasks) {
    List<long[]> edges = new ArrayList<>();
    for (TaskView t : tasks) {
      edges.add(new long[] {t.startedAt().toEpochMilli(), 1});
      edges.add(
          new long[] {
            t.stoppedAt().map(java.time.Instant::toEpochMilli).orElse(Long.MAX_VALUE), -1
          });
    }
    // At the same instant a stop comes before a start: a task replaced is not two at once.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int max = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }
}
