package dev.surge.local.alarm;

import dev.surge.core.alarm.AlarmEvaluator;
import dev.surge.core.alarm.AlarmNotifications;
import dev.surge.core.alarm.AlarmSpec;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
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
 * state changes (its history), its configurations (made, updated, deleted) and the metric's last
 * {@value #SAMPLES_KEPT} samples (one per period). Its state can be set by hand ({@link #setState},
 * CloudWatch's {@code SetAlarmState}) and its definition replaced ({@link #reconfigure}, {@code
 * PutMetricAlarm} on an alarm that exists); both keep ticking on the same schedule.
 */
public final class LocalAlarm implements AlarmStateProbe, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalAlarm.class);

  /** What an alarm measures once per period. */
  @FunctionalInterface
  public interface Metric {
    /**
     * The metric's value now, or empty when it has none (a queue that does not exist publishes no
     * metric): the period then has no datapoint.
     *
     * @throws RuntimeException when it cannot be read (the period then has no datapoint either)
     */
    OptionalDouble sample();
  }

  /** What runs on each state change: the alarm's actions. */
  @FunctionalInterface
  public interface Actions {
    /** Runs the actions of {@code alarm} for {@code transition} (called for every transition). */
    void run(LocalAlarm alarm, AlarmTransition transition);
  }

  /**
   * What CloudWatch keeps of an alarm besides its rule ({@link AlarmSpec}).
   *
   * @param description its description, {@code ""} for none
   * @param actionsEnabled whether its actions run on state changes
   * @param actions its actions for each state it enters
   * @param unit the unit its metric is asked in, if one was given
   */
  public record Settings(
      String description,
      boolean actionsEnabled,
      AlarmNotifications.Actions actions,
      Optional<String> unit) {
    /** Requires every part. */
    public Settings {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(actions, "actions");
      Objects.requireNonNull(unit, "unit");
    }

    /** No description, no actions. */
    public static Settings none() {
      return new Settings(
          "",
          true,
          new AlarmNotifications.Actions(List.of(), List.of(), List.of()),
          Optional.empty());
    }

    /** The actions to run on entering {@code state}: none when actions are disabled. */
    public List<String> actionsFor(AlarmState state) {
      return actionsEnabled ? actions.of(state) : List.of();
    }
  }

  /**
   * One change of the alarm's configuration, as its history shows it.
   *
   * @param at when
   * @param type {@code Create}, {@code Update} or {@code Delete}
   * @param spec its rule from then on (the last one, for a deletion)
   * @param settings its settings from then on
   */
  public record Configuration(Instant at, String type, AlarmSpec spec, Settings settings) {}

  private final EventLog events;
  private final Actions onTransition;
  private final Clock clock;
  private final Instant createdAt;
  private final Object lock = new Object();
  // Written under lock.
  private volatile AlarmEvaluator evaluator;
  private volatile Settings settings;
  private volatile Metric metric;
  // Guarded by lock.
  private long lastSampledPeriod = Long.MIN_VALUE;
  private final Deque<AlarmTransition> history = new ArrayDeque<>();
  private final Deque<Datapoint> samples = new ArrayDeque<>();
  private final List<Configuration> configurations = new ArrayList<>();
  private boolean closed;

  /** State changes kept for the history, the newest. */
  static final int HISTORY_KEPT = 1000;

  /** Samples of the metric kept, the newest (at 5 s periods, about 14 hours). */
  static final int SAMPLES_KEPT = 10_000;

  private ScheduledFuture<?> ticking;

  /**
   * An alarm evaluating {@code evaluator} on samples of {@code probe}'s visible messages, reporting
   * to {@code events} and {@code onTransition}, ticking on {@code clock} once {@link #start
   * started}; no description, no actions of its own.
   */
  public LocalAlarm(
      AlarmEvaluator evaluator,
      BacklogProbe probe,
      EventLog events,
      Consumer<AlarmTransition> onTransition,
      Clock clock) {
    this(
        evaluator,
        Settings.none(),
        visibleMessages(probe),
        events,
        (alarm, t) -> Objects.requireNonNull(onTransition, "onTransition").accept(t),
        clock);
  }

  /**
   * An alarm evaluating {@code evaluator} on samples of {@code metric}, with {@code settings},
   * reporting to {@code events} and running {@code actions} on each state change, ticking on {@code
   * clock} once {@link #start started}.
   */
  public LocalAlarm(
      AlarmEvaluator evaluator,
      Settings settings,
      Metric metric,
      EventLog events,
      Actions actions,
      Clock clock) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.events = Objects.requireNonNull(events, "events");
    this.onTransition = Objects.requireNonNull(actions, "actions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.createdAt = clock.instant();
    configurations.add(new Configuration(createdAt, "Create", evaluator.spec(), settings));
  }

  /** The metric of a queue's visible messages, read through {@code probe}. */
  public static Metric visibleMessages(BacklogProbe probe) {
    Objects.requireNonNull(probe, "probe");
    return () -> OptionalDouble.of(probe.depth().visible());
  }

  /** When the alarm was made. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Its name. */
  public String name() {
    return evaluator.spec().name();
  }

  /** Its rule: the metric, the statistic, the period, the threshold. */
  public AlarmSpec spec() {
    return evaluator.spec();
  }

  /** Its description and actions. */
  public Settings settings() {
    return settings;
  }

  /** When its configuration last changed: when it was made or last {@link #reconfigure}d. */
  public Instant configuredAt() {
    synchronized (lock) {
      return configurations.get(configurations.size() - 1).at();
    }
  }

  /** Its configurations, oldest first: its creation, each update, and its deletion if deleted. */
  public List<Configuration> configurations() {
    synchronized (lock) {
      return List.copyOf(configurations);
    }
  }

  /**
   * Replaces its rule, settings and metric, as {@code PutMetricAlarm} replaces the whole
   * configuration of an alarm that exists: its state is left unchanged ({@link
   * AlarmEvaluator#reconfigured}), and the next tick evaluates the new rule.
   *
   * @throws IllegalArgumentException if {@code spec} names another alarm
   */
  public void reconfigure(AlarmSpec spec, Settings newSettings, Metric newMetric) {
    Objects.requireNonNull(newSettings, "newSettings");
    Objects.requireNonNull(newMetric, "newMetric");
    synchronized (lock) {
      AlarmEvaluator next = evaluator.reconfigured(spec);
      if (!next.spec().period().equals(evaluator.spec().period())) {
        // The periods are counted in the new length from now on.
        lastSampledPeriod = Long.MIN_VALUE;
      }
      evaluator = next;
      settings = newSettings;
      metric = newMetric;
      configurations.add(new Configuration(clock.instant(), "Update", spec, newSettings));
    }
    log.info("alarm {}: configuration updated", spec.name());
  }

  /**
   * Sets its state by hand, as {@code SetAlarmState}: the change is kept in its history, announced
   * and its actions run as for any state change; the next tick evaluates from the new state (and
   * may move it back). The state it is in already changes nothing.
   *
   * @param reasonData the reason as JSON, {@code ""} for none
   * @return the state change, if there was one
   */
  public Optional<AlarmTransition> setState(AlarmState to, String reason, String reasonData) {
    Optional<AlarmTransition> change;
    synchronized (lock) {
      change = evaluator.setState(to, reason, reasonData, clock.instant());
      change.ifPresent(t -> keep(history, t, HISTORY_KEPT));
    }
    change.ifPresent(this::announce);
    return change;
  }

  /**
   * Stops it for good, as {@code DeleteAlarms}: no more ticks, state changes or actions; its
   * history stays readable with the deletion as its last configuration.
   */
  public void delete() {
    synchronized (lock) {
      if (!closed) {
        configurations.add(new Configuration(clock.instant(), "Delete", spec(), settings));
      }
    }
    close();
  }

  /** Whether it was {@link #delete}d or closed. */
  public boolean closed() {
    synchronized (lock) {
      return closed;
    }
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
      if (closed) {
        return Optional.empty();
      }
      long periodMillis = evaluator.spec().period().toMillis();
      long ended = Math.floorDiv(now.toEpochMilli(), periodMillis) - 1;
      if (ended > lastSampledPeriod) {
        lastSampledPeriod = ended;
        try {
          OptionalDouble value = metric.sample();
          if (value.isPresent()) {
            Instant period = Instant.ofEpochMilli(ended * periodMillis);
            evaluator.record(period, value.getAsDouble());
            keep(samples, new Datapoint(period, value.getAsDouble()), SAMPLES_KEPT);
          }
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
      if (!closed) {
        scheduleNext(scheduler);
      }
    }
  }

  /** Stops the ticking started by {@link #start}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
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
                if (!closed && !ticking.isCancelled()) {
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
      onTransition.run(this, t);
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
}
