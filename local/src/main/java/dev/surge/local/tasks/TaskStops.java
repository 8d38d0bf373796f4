package dev.surge.local.tasks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a task is stopped, as ECS stops one: SIGTERM, and SIGKILL once its stop timeout has passed if
 * it still runs; or SIGKILL at once, as a crash would. Signals go through the process handle:
 * {@link Process#destroy()} would also close the pipes, losing what the worker prints while it
 * drains (its summary among it).
 */
final class TaskStops {
  private static final Logger log = LoggerFactory.getLogger(TaskStops.class);

  /** How long a fleet stop waits for a task after SIGKILL before reporting it. */
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);

  private TaskStops() {}

  /**
   * SIGKILL to task {@code t} now, unless it is stopping or stopped already.
   *
   * @return false if it was not alive
   */
  static boolean kill(LocalTask t, Clock clock) {
    if (!t.stopping(LocalTask.StopCause.KILLED, clock.instant(), Optional.empty())) {
      return false;
    }
    Process p = t.process().orElseThrow();
    log.info("killing task {} (pid {})", t.id, p.pid());
    p.toHandle().destroyForcibly();
    return true;
  }

  /**
   * {@code StopTask}: SIGTERM to task {@code t} now and SIGKILL after its stop timeout if it still
   * runs, with {@code reason} as its stop reason; returns at once. A task stopping or stopped
   * already is left as it is.
   */
  static void stop(LocalTask t, Clock clock, Optional<String> reason) {
    if (!t.stopping(LocalTask.StopCause.USER, clock.instant(), reason)) {
      return;
    }
    Process p = t.process().orElseThrow();
    log.info("stopping task {} (pid {}): SIGTERM", t.id, p.pid());
    p.toHandle().destroy();
    CompletableFuture.delayedExecutor(t.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (p.isAlive()
                  && t.stopping(LocalTask.StopCause.FORCED, clock.instant(), Optional.empty())) {
                warnForced(t);
                p.toHandle().destroyForcibly();
              }
            });
  }

  /**
   * Stops {@code alive}, tasks already marked stopping: SIGTERM to all at once, SIGKILL to each
   * still running after its stop timeout; returns when they have all stopped (or have not, {@link
   * #KILL_WAIT} after SIGKILL, which it logs).
   */
  static void stopAll(List<LocalTask> alive, Clock clock) {
    if (alive.isEmpty()) {
      return;
    }
    log.info("stopping {} tasks (SIGTERM)", alive.size());
    alive.forEach(t -> t.process().orElseThrow().toHandle().destroy());
    long start = System.nanoTime();
    List<LocalTask> stubborn = new ArrayList<>();
    for (LocalTask t : alive) {
      if (!await(t, start + t.stopTimeout.toNanos() - System.nanoTime())) {
        stubborn.add(t);
      }
    }
    for (LocalTask t : stubborn) {
      warnForced(t);
      t.stopping(LocalTask.StopCause.FORCED, clock.instant(), Optional.empty());
      t.process().orElseThrow().toHandle().destroyForcibly();
    }
    for (LocalTask t : stubborn) {
      if (!await(t, KILL_WAIT.toNanos())) {
        log.error(
            "task {} (pid {}) did not stop after SIGKILL", t.id, t.process().orElseThrow().pid());
      }
    }
  }

  private static void warnForced(LocalTask t) {
    log.warn(
        "task {} still running {} s after SIGTERM; sending SIGKILL",
        t.id,
        t.stopTimeout.toSeconds());
  }

  private static boolean await(LocalTask t, long nanos) {
    try {
      return t.stopped.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
