package dev.surge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.observe.Accounting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one definition of a run, on looks made up in the test and a clock that moves on pauses. */
class RunTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A clock that stands still except while the run pauses. */
  private static final class Time {
    Instant now = T0;
    final List<Duration> pauses = new ArrayList<>();

    Clock clock() {
      return new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
    }

    Run run() {
      return new Run(
          clock(),
          d -> {
            pauses.add(d);
            now = now.plus(d);
          });
    }
  }

  /** Looks in order; the last one again once they are used up. */
  private static final class Looks implements Run.Watch {
    final Deque<Run.Look> next;
    int taken;
    int confirms;
    boolean confirmation = true;

    Looks(Run.Look... looks) {
      next = new ArrayDeque<>(List.of(looks));
    }

    @Override
    public Run.Look look() {
      taken++;
      return next.size() > 1 ? next.poll() : next.peek();
    }

    @Override
    public boolean confirm() {
      confirms++;
      return confirmation;
    }
  }

  private static final Run.Look BUSY = Run.Look.fleetRunning();

  /** A summary of the counts the test gives: the run's accounting and when it drained. */
  private record Summary(Accounting accounting, Run.Drain drain) {}

  @Test
  void producesThenWaitsUntilTheQueueIsEmptyAndTheFleetStoppedThenSummarises() throws Exception {
    Time time = new Time();
    List<String> steps = new ArrayList<>();
    Looks looks = new Looks(BUSY, BUSY, new Run.Look(true, true, 1100));
    Summary s =
        time.run()
            .run(
                () -> {
                  steps.add("produce");
                  return Run.Sending.finished(1100);
                },
                looks,
                Run.Waiting.every(Duration.ofMillis(500)),
                Run.Progress.NONE,
                drain -> {
                  steps.add("summarise");
                  return new Summary(Accounting.of(drain.sent(), 1000, 100), drain);
                });
    assertThat(steps).containsExactly("produce", "summarise");
    assertThat(looks.taken).isEqualTo(3);
    assertThat(time.pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    assertThat(s.drain()).isEqualTo(new Run.Drain(1100, true, T0.plusSeconds(1)));
    assertThat(s.accounting().unaccounted()).isZero();
  }

  @Test
  void aQuietLookWithFewerMessagesWorkedThroughThanSentDoesNotEndTheWait() throws Exception {
    Time time = new Time();
    // Empty and stopped, but 100 of the run's messages not yet seen in the table: the alarm has
    // not started the fleet yet.
    Looks looks = new Looks(new Run.Look(true, true, 1000), new Run.Look(true, true, 1100));
    Run.Drain d =
        time.run()
            .await(
                Run.Sending.finished(1100),
                looks,
                Run.Waiting.every(Duration.ofSeconds(1)),
                Run.Progress.NONE);
    assertThat(d.drained()).isTrue();
    assertThat(looks.taken).isEqualTo(2);
    // A look that does not count: quiet is enough.
    assertThat(
            new Time()
                .run()
                .await(
                    Run.Sending.finished(5),
                    new Looks(Run.Look.of(true, true)),
                    Run.Waiting.every(Duration.ofSeconds(1)),
                    Run.Progress.NONE)
                .drained())
        .isTrue();
  }

  @Test
  void nothingIsLookedAtWhileMessagesAreStillBeingSent() throws Exception {
    Time time = new Time();
    AtomicInteger checks = new AtomicInteger();
    Run.Sending sending =
        new Run.Sending() {
          @Override
          public boolean done() {
            return checks.incrementAndGet() > 3;
          }

          @Override
          public long sent() {
            return checks.get() > 3 ? 30 : 10 * checks.get();
          }
        };
    Looks looks = new Looks(Run.Look.of(true, true));
    Run.Drain d =
        time.run()
            .await(sending, looks, Run.Waiting.every(Duration.ofMillis(200)), Run.Progress.NONE);
    assertThat(looks.taken).isEqualTo(1);
    assertThat(d.sent()).isEqualTo(30);
    assertThat(time.pauses).hasSize(3);
  }

  @Test
  void theTimeoutEndsTheWaitUndrainedAndSaysSo() throws Exception {
    Time time = new Time();
    List<String> seen = new ArrayList<>();
    Run.Drain d =
        time.run()
            .await(
                Run.Sending.finished(1100),
                new Looks(BUSY),
                Run.Waiting.every(Duration.ofSeconds(1)).timeoutAfter(Duration.ofSeconds(3)),
                new Run.Progress() {
                  @Override
                  public void beforeLook() {
                    seen.add("before");
                  }

                  @Override
                  public void afterLook() {
                    seen.add("after");
                  }

                  @Override
                  public void timedOut() {
                    seen.add("timed out");
                  }
                });
    assertThat(d.drained()).isFalse();
    assertThat(d.at()).isEqualTo(T0.plusSeconds(4));
    assertThat(seen)
        .containsExactly(
            "before",
            "after",
            "before",
            "after",
            "before",
            "after",
            "before",
            "after",
            "before",
            "timed out");
  }

  @Test
  void theFirstLookCanWaitForTheChainToStart() throws Exception {
    Time time = new Time();
    time.run()
        .await(
            Run.Sending.finished(1),
            new Looks(new Run.Look(true, true, 1)),
            Run.Waiting.every(Duration.ofSeconds(5)).firstLookAfter(Duration.ofSeconds(5)),
            Run.Progress.NONE);
    assertThat(time.pauses).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void aLookThatEndsTheWaitIsConfirmedFirst() throws Exception {
    Time time = new Time();
    Looks looks = new Looks(Run.Look.of(true, true));
    looks.confirmation = false;
    Run.Drain d =
        time.run()
            .await(
                Run.Sending.finished(1),
                looks,
                Run.Waiting.every(Duration.ofSeconds(1)).timeoutAfter(Duration.ofSeconds(2)),
                Run.Progress.NONE);
    assertThat(d.drained()).isFalse();
    assertThat(looks.confirms).isEqualTo(4);
  }

  @Test
  void aFixedFleetEndsTheWaitOnceItStoppedWhateverItLeft() throws Exception {
    Time time = new Time();
    Looks looks = new Looks(BUSY, Run.Look.of(false, true));
    Run.Drain d =
        time.run()
            .await(
                Run.Sending.finished(5000),
                looks,
                Run.Waiting.every(Duration.ofMillis(100)).fixedFleet(),
                Run.Progress.NONE);
    assertThat(d.drained()).as("messages were left").isFalse();
    assertThat(looks.taken).isEqualTo(2);
    // The same look does not end the wait of a fleet the alarm starts again.
    Run.Drain returns =
        new Time()
            .run()
            .await(
                Run.Sending.finished(5000),
                new Looks(Run.Look.of(false, true), Run.Look.of(true, true)),
                Run.Waiting.every(Duration.ofMillis(100)),
                Run.Progress.NONE);
    assertThat(returns.drained()).isTrue();
    assertThat(returns.at()).isEqualTo(T0.plusMillis(100));
  }
}
