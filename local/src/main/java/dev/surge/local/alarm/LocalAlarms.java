package dev.surge.local.alarm;

import dev.surge.core.alarm.AlarmEvaluator;
import dev.surge.core.alarm.AlarmSpec;
import dev.surge.core.observe.EventLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The local cloud's metric alarms: the chain's backlog alarm, which the function reads and which
 * cannot be deleted, and the alarms made since with {@code PutMetricAlarm}. Each ticks on its own
 * period and runs the same actions (notifying the topics its definition names). The alarms made
 * later report their state changes to an event log of their own, not to the chain's: the dashboard
 * and the run summaries show the chain's alarm only. Thread-safe.
 */
public final class LocalAlarms implements AutoCloseable {
  private final LocalAlarm chain;
  private final Function<AlarmSpec, LocalAlarm.Metric> metrics;
  private final LocalAlarm.Actions actions;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final EventLog othersEvents = new EventLog(1_000);
  private final Object lock = new Object();
  // Guarded by lock: the alarms made later, by name, and the deleted ones (for their history).
  private final Map<String, LocalAlarm> others = new TreeMap<>();
  private final List<LocalAlarm> deleted = new ArrayList<>();
  private boolean closed;

  /** Deleted alarms whose history is kept, the newest. */
  static final int DELETED_KEPT = 100;

  /**
   * The alarms of a local cloud whose chain alarm is {@code chain}; alarms made later measure the
   * metric {@code metrics} gives for their rule, run {@code actions} on state changes, and tick on
   * {@code scheduler} and {@code clock}.
   */
  public LocalAlarms(
      LocalAlarm chain,
      Function<AlarmSpec, LocalAlarm.Metric> metrics,
      LocalAlarm.Actions actions,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.actions = Objects.requireNonNull(actions, "actions");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The chain's backlog alarm. */
  public LocalAlarm chain() {
    return chain;
  }

  /** Every alarm, by name (as CloudWatch lists them). */
  public List<LocalAlarm> all() {
    List<LocalAlarm> all = new ArrayList<>();
    all.add(chain);
    synchronized (lock) {
      all.addAll(others.values());
    }
    all.sort(Comparator.comparing(LocalAlarm::name));
    return all;
  }

  /** Every alarm and the deleted ones still in the history, by name. */
  public List<LocalAlarm> withDeleted() {
    List<LocalAlarm> all = new ArrayList<>(all());
    synchronized (lock) {
      all.addAll(deleted);
    }
    all.sort(Comparator.comparing(LocalAlarm::name));
    return all;
  }

  /** The alarm named {@code name}. */
  public Optional<LocalAlarm> find(String name) {
    if (chain.name().equals(name)) {
      return Optional.of(chain);
    }
    synchronized (lock) {
      return Optional.ofNullable(others.get(name));
    }
  }

  /**
   * Makes the alarm {@code spec} names, or replaces the definition of the one of that name (its
   * state is kept). A new alarm starts in INSUFFICIENT_DATA and ticks from its first period.
   *
   * @return the alarm
   */
  public LocalAlarm put(AlarmSpec spec, LocalAlarm.Settings settings) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(settings, "settings");
    LocalAlarm.Metric metric = metrics.apply(spec);
    if (chain.name().equals(spec.name())) {
      chain.reconfigure(spec, settings, metric);
      return chain;
    }
    synchronized (lock) {
      LocalAlarm existing = others.get(spec.name());
      if (existing != null) {
        existing.reconfigure(spec, settings, metric);
        return existing;
      }
      LocalAlarm made =
          new LocalAlarm(new AlarmEvaluator(spec), settings, metric, othersEvents, actions, clock);
      others.put(spec.name(), made);
      if (!closed) {
        made.start(scheduler);
      } else {
        made.close();
      }
      return made;
    }
  }

  /**
   * Deletes the alarms named {@code names} that exist; names of no alarm are left alone.
   *
   * @throws IllegalArgumentException when one of them is the chain's alarm; then none is deleted
   */
  public void delete(Collection<String> names) {
    Set<String> wanted = new LinkedHashSet<>(names);
    if (wanted.contains(chain.name())) {
      throw new IllegalArgumentException("the chain's alarm " + chain.name());
    }
    synchronized (lock) {
      for (String name : wanted) {
        LocalAlarm gone = others.remove(name);
        if (gone != null) {
          gone.delete();
          deleted.add(gone);
          if (deleted.size() > DELETED_KEPT) {
            deleted.remove(0);
          }
        }
      }
    }
  }

  /** Stops every alarm's ticking, the chain's included. */
  @Override
  public void close() {
    List<LocalAlarm> stopping;
    synchronized (lock) {
      closed = true;
      stopping = new ArrayList<>(others.values());
    }
    stopping.forEach(LocalAlarm::close);
    chain.close();
  }
}
