package dev.surge.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When this worker's process first received messages and first wrote an item, measured from the
 * process's start (as a task's start-up is: the container's process is the JVM), with the process's
 * CPU time (every thread, user and system) spent by then. Set once each, by whichever poller gets
 * there first. Thread-safe.
 */
public final class StartupMarks {
  private final AtomicReference<Mark> firstReceive = new AtomicReference<>();
  private final AtomicReference<Mark> firstWrite = new AtomicReference<>();

  /**
   * One moment of start-up.
   *
   * @param sinceStartMillis wall time from the process's start
   * @param cpuMillis the process's CPU time by then (-1 where the platform does not report it)
   */
  public record Mark(long sinceStartMillis, long cpuMillis) {}

  void onFirstReceive() {
    if (firstReceive.get() == null) {
      firstReceive.compareAndSet(null, now());
    }
  }

  void onFirstWrite() {
    if (firstWrite.get() == null) {
      firstWrite.compareAndSet(null, now());
    }
  }

  /** The first receive that returned messages, if there was one. */
  public Optional<Mark> firstReceive() {
    return Optional.ofNullable(firstReceive.get());
  }

  /** The first item written, if there was one. */
  public Optional<Mark> firstWrite() {
    return Optional.ofNullable(firstWrite.get());
  }

  private static Mark now() {
    ProcessHandle.Info info = ProcessHandle.current().info();
    Instant now = Instant.now();
    // The kernel's process start time (clock ticks, 10 ms on Linux): it includes the JVM's own
    // creation, which a timestamp taken in main would miss.
    long since = info.startInstant().map(s -> Duration.between(s, now).toMillis()).orElse(-1L);
    long cpu = info.totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    return new Mark(since, cpu);
  }
}
