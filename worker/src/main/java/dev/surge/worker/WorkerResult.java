package dev.surge.worker;

import java.util.Objects;
import java.util.Optional;

/**
 * How a worker run ended.
 *
 * @param outcome why it ended
 * @param stats its counters at the end
 * @param error the fatal error, for {@link Outcome#FAILED} and {@link Outcome#MISCONFIGURED}
 */
public record WorkerResult(Outcome outcome, WorkerStats.Snapshot stats, Optional<String> error) {

  /** Requires every part. */
  public WorkerResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(error, "error");
  }

  /** Why a worker run ended. */
  public enum Outcome {
    /** The queue stayed empty for the idle window and reported nothing left: exit 0. */
    DRAINED(0),
    /** Asked to stop (SIGTERM): what it held was written or released: exit 0. */
    STOPPED(0),
    /** A resource is missing or misconfigured: exit 2. */
    MISCONFIGURED(2),
    /** A fatal error after retries: exit 1. */
    FAILED(1);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The process exit code for this outcome. */
    public int exitCode() {
      return exitCode;
    }
  }
}
