package dev.surge.local.alarm;

import dev.surge.core.alarm.AlarmEvaluator;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.alarm.AlarmTransition;
import dev.surge.core.alarm.Datapoint;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.AlarmStateProbe;
import dev.surge.core.port.BacklogProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog alarm in this process: once per period it measures the queue's visible messages (the
 * metric {@code ApproximateNumberOfMessagesVisible}), records it as that period's one datapoint,
 * and evaluates the {@link AlarmEvaluator}. A state change is published as {@link
 * PipelineEvent.AlarmChanged} and handed to the transition consumer, which runs the alarm's action
 * (the caller turns an ALARM transition into CloudWatch's notification and publishes it to the
 * topic).
 *
 * <p>One sample per period, because SQS publishes its queue metrics once a minute: a Sum over one
 * period is then the queue's depth. Sampling more often would multiply a Sum. The sample taken at a
 * period boundary is recorded for the period that just ended, so that period's datapoint is
 * complete when the same tick evaluates it; as in CloudWatch the alarm then reacts within one
 * period of the backlog.
 *
 * <p>It keeps what CloudWatch shows of an alarm besides its state: its last {@value #HISTORY_KEPT}
 * state changes (its history) and the metric's last {@value #SAMPLES_KEPT} samples (one per
 * period).
 */
public final class LocalAlarm implements AlarmStateProbe, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalAlarm.class);

  private final AlarmEvaluator evaluator;
  private final BacklogProbe probe;
  private final EventLog events;
  private final Consumer<AlarmTransition> onTransition;
  private final Clock clock;
  private final long periodMillis;
  private final Instant createdAt;
  private final Object lock = new Object();
  // Guarded by lock.
  private long lastSampledPeriod = Long.MIN_VALUE;
  private final Deque<AlarmTransition> history = new ArrayDeque<>();
  private final Deque<Datapoint> samples = new ArrayDeque<>();

  /** State changes kept for the history, the newest. */
  static final int HISTORY_KEPT = 1000;

  /** Samples of the metric kept, the newest (at 5 s periods, about 14 hours). */
  static final int SAMPLES_KEPT = 10_000;

  private ScheduledFuture<?> ticking;

  /**
   * An alarm evaluating {@code evaluator} on samples of {@code probe}, reporting to {@code events}
   * and {@code onTransition}, ticking on {@code clock} once {@link #start started}.
   */
  public LocalAlarm(
      AlarmEvaluator evaluator,
      BacklogProbe probe,
      EventLog events,
      Consumer<AlarmTransition> onTransition,
      Clock clock) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.events = Objects.requireNonNull(events, "events");
    this.onTransition = Objects.requireNonNull(onTransition, "onTransition");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.periodMillis = evaluator.spec().period().toMillis();
    this.createdAt = clock.instant();
  }

  /** When the alarm was made. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Its state changes, oldest first (the last {@value #HISTORY_KEPT}). */
  public List<AlarmTransition> history() {
    synchronized (lock) {
      return List.copyOf(history);
    }
  }

  /**
   * The samples of the metric it measured, oldest first (the last {@value #SAMPLES_KEPT}): each is
   * the queue's visible messages, stamped with the start of the period it stands for.
   */
  public List<Datapoint> samples() {
    synchronized (lock) {
      return List.copyOf(samples);
    }
  }

  /** The alarm's current state. */
  @Override
  public AlarmState state() {
    return evaluator.state();
  }

  /** The evaluator this alarm drives (for its spec and last datapoints). */
  public AlarmEvaluator evaluator() {
    return evaluator;
  }

  /**
   * Samples the queue for the period that ended at the last boundary before {@code now} (unless
   * that period has its sample already) and evaluates the alarm at {@code now}.
   *
   * @return the state change, if there was one
   * @throws RuntimeException if the probe fails (the period then has no datapoint)
   */
  public Optional<AlarmTransition> tick(Instant now) {
    Objects.requireNonNull(now, "now");
    Optional<AlarmTransition> change;
    RuntimeException failed = null;
    synchronized (lock) {
      long ended = Math.floorDiv(now.toEpochMilli(), periodMillis) - 1;
      if (ended > lastSampledPeriod) {
        lastSampledPeriod = ended;
        try {
          long visible = probe.depth().visible();
          Instant period = Instant.ofEpochMilli(ended * periodMillis);
          evaluator.record(period, visible);
          keep(samples, new Datapoint(period, visible), SAMPLES_KEPT);
        } catch (RuntimeException e) {
          failed = e;
        }
      }
      // As CloudWatch, evaluate every period, with or without its datapoint: the spec's
      // treatment of missing data decides (the stack's alarm: not breaching).
      change = evaluator.evaluate(now);
      change.ifPresent(t -> keep(history, t, HISTORY_KEPT));
    }
    change.ifPresent(this::announce);
    if (failed != null) {
      throw failed;
    }
    return change;
  }

  /**
   * Ticks on {@code scheduler} just after every period boundary of the clock, as CloudWatch aligns
   * its periods; a failing tick is logged and the next one runs. Stopped by {@link #close()}.
   */
  public void start(ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    synchronized (lock) {
      if (ticking != null) {
        throw new IllegalStateException("alarm " + name() + " already started");
      }
      scheduleNext(scheduler);
    }
  }

  /** Stops the ticking started by {@link #start}. */
  @Override
  public void close() {
    synchronized (lock) {
      if (ticking != null) {
        ticking.cancel(false);
      }
    }
  }

  /**
   * The wait from {@code now} until just after the next boundary of {@code period}: the margin
   * keeps a timer that fires a little early from sampling the wrong period.
   */
  static Duration untilNextTick(Instant now, Duration period) {
    long p = period.toMillis();
    long next = (Math.floorDiv(now.toEpochMilli(), p) + 1) * p;
    long margin = Math.min(p / 20, 250);
    return Duration.ofMillis(next + margin - now.toEpochMilli());
  }

  private void scheduleNext(ScheduledExecutorService scheduler) {
    long delay = untilNextTick(clock.instant(), evaluator.spec().period()).toMillis();
    ticking =
        scheduler.schedule(
            () -> {
              try {
                tick(clock.instant());
              } catch (RuntimeException e) {
                log.warn("alarm {}: could not sample the queue: {}", name(), e.toString());
              }
              synchronized (lock) {
                if (!ticking.isCancelled()) {
                  scheduleNext(scheduler);
                }
              }
            },
            delay,
            TimeUnit.MILLISECONDS);
  }

  private void announce(AlarmTransition t) {
    log.info("alarm {}: {} -> {}: {}", t.alarmName(), t.from(), t.to(), t.reason());
    events.publish(
        new PipelineEvent.AlarmChanged(
            t.at(), t.alarmName(), t.from(), t.to(), t.reason(), evaluator.spec().threshold()));
    try {
      onTransition.accept(t);
    } catch (RuntimeException e) {
      log.error("alarm {}: the action for {} -> {} failed", t.alarmName(), t.from(), t.to(), e);
    }
  }

  private static <T> void keep(Deque<T> kept, T value, int most) {
    kept.addLast(value);
    if (kept.size() > most) {
      kept.removeFirst();
    }
  }

  private String name() {
    return evaluator.spec().name();
  }
}
