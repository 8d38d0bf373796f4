package dev.surge.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of the chain, the one definition every command that runs the chain uses ({@code surge
 * demo} on both targets, each burst of {@code surge up}, {@code surge chaos}, {@code surge bench
 * --scale}): produce, wait until the queue is empty and the fleet has stopped, then count the
 * table, account for every message ({@link dev.surge.core.observe.Accounting}) and summarise.
 *
 * <p>What differs by target is passed in: how the messages are sent ({@link Produce}), how the
 * queue and the fleet are seen ({@link Watch}), and how the run is counted and summarised ({@link
 * Summarise}). The wait is the same for all: once every message is sent, a look at the queue and
 * the fleet every {@link Waiting#every()}, until the queue is empty, the fleet has stopped and, if
 * the look counts them, the run's messages are all in the table or the dead-letter queue; or until
 * the timeout.
 */
public final class Run {
  /** Sends the run's messages. */
  @FunctionalInterface
  public interface Produce {
    /**
     * Sends, or starts sending, the run's messages: returns once the wait may begin, with every
     * message sent or while they are still being sent ({@link Sending#done()} says when).
     */
    Sending start() throws InterruptedException;
  }

  /** The run's messages, being sent or sent. */
  public interface Sending {
    /** Whether every message the run will send has been sent. */
    boolean done();

    /** Messages the queue accepted so far. */
    long sent();

    /** Sending that is over: {@code sent} messages accepted. */
    static Sending finished(long sent) {
      return new Sending() {
        @Override
        public boolean done() {
          return true;
        }

        @Override
        public long sent() {
          return sent;
        }
      };
    }
  }

  /**
   * One look at the queue and the fleet.
   *
   * @param queueEmpty nothing visible, in flight or delayed in the queue
   * @param fleetStopped no task is starting or running
   * @param worked the run's messages in the table or the dead-letter queue so far, or {@link
   *     #NOT_COUNTED}
   */
  public record Look(boolean queueEmpty, boolean fleetStopped, long worked) {
    /** The look did not count the run's messages: an empty queue and a stopped fleet suffice. */
    public static final long NOT_COUNTED = -1;

    /** The queue and the fleet, without counting the run's messages. */
    public static Look of(boolean queueEmpty, boolean fleetStopped) {
      return new Look(queueEmpty, fleetStopped, NOT_COUNTED);
    }

    /** The fleet still runs: the queue need not be read. */
    public static Look fleetRunning() {
      return new Look(false, false, NOT_COUNTED);
    }

    /** The queue is empty and the fleet has stopped. */
    public boolean quiet() {
      return queueEmpty && fleetStopped;
    }

    /** Quiet, and the run's {@code sent} messages are worked through, if this look counts them. */
    public boolean drained(long sent) {
      return quiet() && (worked == NOT_COUNTED || worked >= sent);
    }
  }

  /** How the queue and the fleet are seen. */
  public interface Watch {
    /** A look now. */
    Look look();

    /**
     * Whether a fresh reading confirms a look that ended the wait (a watch whose looks are samples
     * taken a moment before reads the queue and the fleet again here); true by default.
     */
    default boolean confirm() {
      return true;
    }
  }

  /** What the wait reports along the way; each does nothing by default. */
  public interface Progress {
    /** Before each look (and before the check that every message is sent). */
    default void beforeLook() throws InterruptedException {}

    /** After each look that did not end the wait, before the pause. */
    default void afterLook() {}

    /** The timeout passed before the run drained. */
    default void timedOut() {}

    /** Reports nothing. */
    Progress NONE = new Progress() {};
  }

  /**
   * How the run waits.
   *
   * @param every the pause between two looks
   * @param firstLook the pause before the first look
   * @param timeout how long to wait at most once the messages are sent or being sent; empty: as
   *     long as it takes
   * @param fleetReturns whether a fleet that stopped with messages left is started again (the alarm
   *     and the reconciler do), so the wait goes on until the queue is empty; false for a fixed
   *     fleet, whose stop ends the wait whatever it left
   */
  public record Waiting(
      Duration every, Duration firstLook, Optional<Duration> timeout, boolean fleetReturns) {
    /** Checks the durations. */
    public Waiting {
      Objects.requireNonNull(every, "every");
      Objects.requireNonNull(firstLook, "firstLook");
      Objects.requireNonNull(timeout, "timeout");
      if (every.isNegative() || firstLook.isNegative()) {
        throw new IllegalArgumentException("pauses must not be negative");
      }
    }

    /**
     * A look every {@code every}, the first at once, as long as it takes, for a fleet that returns.
     */
    public static Waiting every(Duration every) {
      return new Waiting(every, Duration.ZERO, Optional.empty(), true);
    }

    /** The first look after {@code pause} (then every {@link #every()}). */
    public Waiting firstLookAfter(Duration pause) {
      return new Waiting(every, pause, timeout, fleetReturns);
    }

    /** At most {@code limit} once the messages are sent or being sent. */
    public Waiting timeoutAfter(Duration limit) {
      return new Waiting(every, firstLook, Optional.of(limit), fleetReturns);
    }

    /** A fixed fleet: the wait ends once it has stopped. */
    public Waiting fixedFleet() {
      return new Waiting(every, firstLook, timeout, false);
    }
  }

  /**
   * The end of the wait.
   *
   * @param sent messages the queue accepted
   * @param drained whether the queue was empty and the fleet stopped with every message worked
   *     through (false: the timeout passed first, or a fixed fleet stopped with messages left)
   * @param at when the wait ended
   */
  public record Drain(long sent, boolean drained, Instant at) {}

  /** Counts the table (and whatever else the run counts), accounts and summarises. */
  @FunctionalInterface
  public interface Summarise<S> {
    /** The run's summary, once the wait has ended. */
    S summarise(Drain drain) throws InterruptedException;
  }

  /** Pauses the waiting thread. */
  @FunctionalInterface
  public interface Sleeper {
    /** Pauses for {@code d}. */
    void sleep(Duration d) throws InterruptedException;
  }

  private final Clock clock;
  private final Sleeper sleeper;

  /** A run timed by {@code clock}, pausing with {@code sleeper}. */
  public Run(Clock clock, Sleeper sleeper) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** A run on the system clock, pausing the thread. */
  public static Run onSystemClock() {
    return new Run(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
  }

  /**
   * Produces, waits, then counts, accounts and summarises.
   *
   * @return the summary
   */
  public <S> S run(
      Produce produce, Watch watch, Waiting waiting, Progress progress, Summarise<S> summarise)
      throws InterruptedException {
    Sending sending = produce.start();
    return summarise.summarise(await(sending, watch, waiting, progress));
  }

  /** Waits until the queue is empty and the fleet has stopped, or the timeout. */
  public Drain await(Sending sending, Watch watch, Waiting waiting, Progress progress)
      throws InterruptedException {
    Optional<Instant> deadline = waiting.timeout().map(t -> clock.instant().plus(t));
    if (!waiting.firstLook().isZero()) {
      sleeper.sleep(waiting.firstLook());
    }
    while (true) {
      progress.beforeLook();
      // Nothing is read of the queue and the fleet while messages are still being sent.
      if (sending.done()) {
        Look look = watch.look();
        long sent = sending.sent();
        boolean drained = look.drained(sent);
        if ((drained || (!waiting.fleetReturns() && look.fleetStopped())) && watch.confirm()) {
          return new Drain(sent, drained, clock.instant());
        }
      }
      if (deadline.isPresent() && clock.instant().isAfter(deadline.get())) {
        progress.timedOut();
        return new Drain(sending.sent(), false, clock.instant());
      }
      progress.afterLook();
      sleeper.sleep(waiting.every());
    }
  }
}
