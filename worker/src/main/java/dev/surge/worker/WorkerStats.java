package dev.surge.worker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one worker, updated by its pollers; read any time. Thread-safe. */
public final class WorkerStats {
  final LongAdder receives = new LongAdder();
  final LongAdder emptyReceives = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder redelivered = new LongAdder();
  final LongAdder written = new LongAdder();
  final LongAdder deleted = new LongAdder();
  final LongAdder deleteFailures = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder released = new LongAdder();
  final LongAdder extended = new LongAdder();
  private final AtomicLong firstReceiveNanos = new AtomicLong();
  private final AtomicLong lastDeleteNanos = new AtomicLong();
  // Process CPU time at the same two moments; one tick-resolution syscall per received or
  // deleted batch, negligible against the batch's three HTTP round trips.
  private final AtomicLong firstReceiveCpuNanos = new AtomicLong(-1);
  private final AtomicLong lastDeleteCpuNanos = new AtomicLong(-1);

  void onReceived(int n) {
    receives.increment();
    if (n == 0) {
      emptyReceives.increment();
      return;
    }
    received.add(n);
    if (firstReceiveNanos.get() == 0 && firstReceiveNanos.compareAndSet(0, System.nanoTime())) {
      firstReceiveCpuNanos.set(ProcessCpu.nanos());
    }
  }

  void onDeleted(int n) {
    if (n > 0) {
      deleted.add(n);
      lastDeleteNanos.set(System.nanoTime());
      long cpu = ProcessCpu.nanos();
      lastDeleteCpuNanos.accumulateAndGet(cpu, Math::max);
    }
  }

  /** The counters now. */
  public Snapshot snapshot() {
    long first = firstReceiveNanos.get();
    long last = lastDeleteNanos.get();
    long firstCpu = firstReceiveCpuNanos.get();
    long lastCpu = lastDeleteCpuNanos.get();
    return new Snapshot(
        receives.sum(),
        emptyReceives.sum(),
        received.sum(),
        redelivered.sum(),
        written.sum(),
        deleted.sum(),
        deleteFailures.sum(),
        rejected.sum(),
        retried.sum(),
        released.sum(),
        extended.sum(),
        first == 0 || last == 0 ? 0 : Math.max(0, (last - first) / 1_000_000),
        firstCpu < 0 || lastCpu < 0 ? -1 : Math.max(0, (lastCpu - firstCpu) / 1_000_000));
  }

  /**
   * Counters at one moment.
   *
   * @param receives ReceiveMessage calls
   * @param emptyReceives of which returned nothing
   * @param received messages received (a redelivered message counts each time)
   * @param redelivered of which had been received before ({@code ApproximateReceiveCount > 1})
   * @param written items written
   * @param deleted messages deleted after their item was written
   * @param deleteFailures delete entries that failed (left to redelivery)
   * @param rejected messages whose item can never be written (left to the dead-letter queue)
   * @param retried messages left for redelivery because their write kept failing
   * @param released messages made visible again (rejected ones, and unstarted ones on stop)
   * @param extended visibility extensions by the heartbeat
   * @param busyMillis from the first message received to the last one deleted
   * @param busyCpuMillis process CPU time (user + system) over the same window; -1 if unknown
   */
  public record Snapshot(
      long receives,
      long emptyReceives,
      long received,
      long redelivered,
      long written,
      long deleted,
      long deleteFailures,
      long rejected,
      long retried,
      long released,
      long extended,
      long busyMillis,
      long busyCpuMillis) {

    /** Messages deleted per second while busy (0 when nothing was deleted). */
    public double throughput() {
      return busyMillis == 0 ? 0 : deleted * 1000.0 / busyMillis;
    }

    /** Process CPU milliseconds per 1,000 messages deleted while busy; -1 if unknown. */
    public double cpuMillisPerThousand() {
      return busyCpuMillis < 0 || deleted == 0 ? -1 : busyCpuMillis * 1000.0 / deleted;
    }
  }
}
