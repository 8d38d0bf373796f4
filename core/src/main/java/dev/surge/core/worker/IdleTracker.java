package dev.surge.core.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The idle-exit policy: a worker may consider itself drained only after every poll for a whole idle
 * window came back empty, and at least {@link #MIN_EMPTY_POLLS} of them did, so one empty short
 * poll (the seed's early exit) cannot end it. The caller then confirms with the queue's counters
 * and calls {@link #reset()} if the queue still holds messages. Thread-safe.
 */
public final class IdleTracker {
  /** Empty polls needed, in addition to the elapsed window. */
  public static final int MIN_EMPTY_POLLS = 2;

  private final Duration window;
  private final Clock clock;
  private Instant lastActivity;
  private long emptyPolls;

  /** Starts the window now. */
  public IdleTracker(Duration window, Clock clock) {
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastActivity = clock.instant();
  }

  /** Records one poll that returned {@code received} messages. */
  public synchronized void onPoll(int received) {
    if (received > 0) {
      lastActivity = clock.instant();
      emptyPolls = 0;
    } else {
      emptyPolls++;
    }
  }

  /** Whether the window has passed with only empty polls, enough of them. */
  public synchronized boolean windowElapsed() {
    return emptyPolls >= MIN_EMPTY_POLLS && !clock.instant().isBefore(lastActivity.plus(window));
  }

  /** Starts a new window: the queue said it is not empty yet. */
  public synchronized void reset() {
    lastActivity = clock.instant();
    emptyPolls = 0;
  }
}
