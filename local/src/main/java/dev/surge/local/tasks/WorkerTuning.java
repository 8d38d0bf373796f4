package dev.surge.local.tasks;

import dev.surge.core.worker.WorkerSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Worker settings a launcher passes to each task; an absent one leaves the worker's default.
 *
 * @param concurrency pollers per worker ({@code SURGE_CONCURRENCY})
 * @param pollWait long-poll wait ({@code SURGE_POLL_WAIT_SECONDS}): whole seconds, 1..20
 * @param idleWindow how long the queue must stay empty before a worker exits ({@code
 *     SURGE_IDLE_SECONDS})
 */
public record WorkerTuning(
    OptionalInt concurrency, Optional<Duration> pollWait, Optional<Duration> idleWindow) {

  /** Requires every part; rejects values no worker accepts. */
  public WorkerTuning {
    Objects.requireNonNull(concurrency, "concurrency");
    Objects.requireNonNull(pollWait, "pollWait");
    Objects.requireNonNull(idleWindow, "idleWindow");
    concurrency.ifPresent(
        c -> {
          if (c < 1 || c > 64) {
            throw new IllegalArgumentException("concurrency must be 1..64, was " + c);
          }
        });
    pollWait.ifPresent(
        w -> {
          if (!WorkerSettings.isLongPoll(w)) {
            throw new IllegalArgumentException(
                "poll wait must be whole seconds, 1..20 (a long poll), was " + w);
          }
        });
    idleWindow.ifPresent(
        w -> {
          if (w.isNegative()) {
            throw new IllegalArgumentException("idle window must not be negative, was " + w);
          }
        });
  }

  /** The workers' own defaults. */
  public static WorkerTuning defaults() {
    return new WorkerTuning(OptionalInt.empty(), Optional.empty(), Optional.empty());
  }

  /** A copy with {@code value} pollers. */
  public WorkerTuning withConcurrency(int value) {
    return new WorkerTuning(OptionalInt.of(value), pollWait, idleWindow);
  }

  /** A copy with another long-poll wait. */
  public WorkerTuning withPollWait(Duration value) {
    return new WorkerTuning(concurrency, Optional.of(value), idleWindow);
  }

  /** A copy with another idle window. */
  public WorkerTuning withIdleWindow(Duration value) {
    return new WorkerTuning(concurrency, pollWait, Optional.of(value));
  }
}
