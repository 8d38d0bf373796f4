package dev.surge.trigger;

import dev.surge.core.alarm.AlarmNotification;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.alarm.MalformedNotificationException;
import dev.surge.core.port.AlarmStateProbe;
import dev.surge.core.port.BacklogProbe;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.scaling.ScalingDecision;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger's decision: an alarm notification (or a reconcile tick) becomes {@code
 * clamp(ceil(backlog / messagesPerTask), 1, maxTasks) - running} task launches. Free of SDKs: it
 * sees the queue, the fleet and the alarm only through ports.
 *
 * <p>Bad input never throws: a malformed message, another alarm's notification, a state other than
 * ALARM and a duplicate are reported and logged. A port that fails (the backlog or the fleet cannot
 * be read) throws, after logging, so the caller's retry applies; the notification then counts as
 * not handled. Launch failures are reported, not thrown: the reconciler decides again.
 *
 * <p>A duplicated notification does not double the fleet: running tasks are subtracted, and an SNS
 * message id already handled by this instance is dropped. Calls are serialized, so two deliveries
 * at once cannot both see the same running count.
 *
 * <p>Other instances (Lambda execution environments deciding at once: a notification and the
 * scheduled reconcile, or a retry) are serialized by the {@link FleetLease}, when there is one:
 * each decision (read the backlog, count the fleet, launch, record the launch) runs whole under it,
 * and the launcher's ledger ({@link DynamoDbFleetLease}) shows every instance what the others just
 * started while ECS's listing lags. So the handled message ids and the activation's first sighting
 * may stay in this instance's memory: a decision repeated elsewhere counts the tasks this one
 * started and starts only what is still missing. A lease that stays busy throws {@link
 * FleetLeaseException}, as a failing port does. Without a lease (a function configured without the
 * control table, or a test's own wiring) decisions are serialized within this instance only.
 *
 * <p>Every decision, whatever its action, is logged as one {@link TriggerDecisionLine}: the AWS
 * watcher reads the function's decisions back from those lines.
 */
public final class TriggerService {
  /** How many handled SNS message ids are remembered (SNS redelivers within minutes). */
  public static final int REMEMBERED_MESSAGES = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

  private final TriggerSettings settings;
  private final BacklogProbe backlog;
  private final TaskLauncher launcher;
  private final AlarmStateProbe alarm;
  private final Optional<TaskDirectory> history;
  private final Optional<FleetLease> lease;
  private final Clock clock;
  private Instant unattendedSince; // a backlog with no task, first seen then; guarded by this
  private final Map<String, Instant> handled =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED_MESSAGES;
        }
      };

  /**
   * A trigger for the alarm and policy in {@code settings}.
   *
   * @param backlog reads the queue the alarm watches
   * @param launcher starts and counts the workers
   * @param alarm reads the alarm's state, for {@link #reconcile}
   * @param clock times the decisions in the logs
   */
  public TriggerService(
      TriggerSettings settings,
      BacklogProbe backlog,
      TaskLauncher launcher,
      AlarmStateProbe alarm,
      Clock clock) {
    this(settings, backlog, launcher, alarm, Optional.empty(), clock);
  }

  /**
   * As the other constructor, and holds launches back while the latest tasks in {@code history}
   * could not run ({@link CrashLoop}).
   */
  public TriggerService(
      TriggerSettings settings,
      BacklogProbe backlog,
      TaskLauncher launcher,
      AlarmStateProbe alarm,
      Optional<TaskDirectory> history,
      Clock clock) {
    this(settings, backlog, launcher, alarm, history, Optional.empty(), clock);
  }

  /**
   * As the other constructors, and decides only while holding {@code lease}, so instances that
   * decide for the same fleet at once take turns.
   */
  public TriggerService(
      TriggerSettings settings,
      BacklogProbe backlog,
      TaskLauncher launcher,
      AlarmStateProbe alarm,
      Optional<TaskDirectory> history,
      Optional<FleetLease> lease,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.alarm = Objects.requireNonNull(alarm, "alarm");
    this.history = Objects.requireNonNull(history, "history");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs {@code decision} under the fleet's lease, if there is one.
   *
   * @throws FleetLeaseException after logging, when the lease cannot be taken
   */
  private TriggerReport leased(String why, String id, Supplier<TriggerReport> decision) {
    if (lease.isEmpty()) {
      return decision.get();
    }
    try {
      return lease.get().holding(decision);
    } catch (FleetLeaseException e) {
      LOG.error("{} [{}]: {}", why, id, e.getMessage());
      throw e;
    }
  }

  /**
   * The hold on launching, if the latest tasks could not run. The history is advice: when it cannot
   * be read, the launch goes ahead (and the failure is logged).
   */
  private Optional<CrashLoop.Hold> hold() {
    if (history.isEmpty()) {
      return Optional.empty();
    }
    try {
      return CrashLoop.check(history.get().tasks(), clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("cannot read the recent tasks to check for a crash loop: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The settings this trigger serves. */
  public TriggerSettings settings() {
    return settings;
  }

  /**
   * Handles one alarm notification delivered by SNS.
   *
   * @param snsMessageId the SNS message id, used to drop redeliveries; may be empty
   * @param message the SNS message: CloudWatch's alarm JSON
   * @return what was done; never {@code null}
   * @throws RuntimeException only when a port fails (the backlog or the fleet cannot be read) or
   *     the fleet's lease cannot be taken ({@link FleetLeaseException})
   */
  public synchronized TriggerReport onNotification(String snsMessageId, String message) {
    Instant start = clock.instant();
    String id = snsMessageId == null ? "" : snsMessageId;
    if (!id.isEmpty() && handled.containsKey(id)) {
      return log(
          TriggerReport.without(
              TriggerReport.Action.DUPLICATE,
              "duplicate: SNS message " + id + " was handled at " + handled.get(id)),
          id,
          start);
    }
    TriggerReport report = decideOn(message, id, start);
    if (!id.isEmpty()) {
      handled.put(id, clock.instant());
    }
    return report;
  }

  /**
   * The scheduled check. While the alarm stays in ALARM (CloudWatch notifies once per state change)
   * the policy's fleet is topped up, so a fleet that died is replaced. Otherwise, with {@link
   * TriggerSettings.Activation#BACKLOG} (the default), a backlog with no task running starts one:
   * messages at or below the alarm's threshold are not stranded when the fleet dies.
   *
   * @return what was done; never {@code null}
   * @throws RuntimeException when a port fails (the alarm, the backlog or the fleet cannot be read)
   *     or the fleet's lease cannot be taken ({@link FleetLeaseException}), or {@link
   *     dev.surge.core.ConfigException} when the alarm does not exist
   */
  public synchronized TriggerReport reconcile() {
    Instant start = clock.instant();
    AlarmState state;
    try {
      state = alarm.state();
    } catch (RuntimeException e) {
      LOG.error("reconcile: cannot read the state of alarm {}: {}", settings.alarm(), e.toString());
      throw e;
    }
    if (state != AlarmState.ALARM) {
      if (settings.activation() == TriggerSettings.Activation.BACKLOG) {
        return activate(state, start);
      }
      return log(
          TriggerReport.without(TriggerReport.Action.IDLE, "idle: alarm " + state),
          TriggerDecisionLine.RECONCILE,
          start);
    }
    return decide(
        "reconcile: alarm " + settings.alarm() + " is in ALARM",
        TriggerDecisionLine.RECONCILE,
        start);
  }

  /**
   * Outside ALARM: one task for a backlog nobody has worked on for a whole check period, else
   * nothing. The second sighting is required so a burst that is about to raise the alarm (the
   * seed's path: alarm, topic, function) is not pre-empted by a tick that lands while the producer
   * is still sending; a backlog a dead fleet left is worked on within two periods.
   *
   * <p>The sighting is this instance's, but the check that no task runs is made under the lease,
   * with the shared ledger: when two instances activate at once, the second counts the first's task
   * and starts none.
   */
  private TriggerReport activate(AlarmState state, Instant start) {
    return leased(
        "reconcile: alarm " + state,
        TriggerDecisionLine.RECONCILE,
        () -> activateHeld(state, start));
  }

  private TriggerReport activateHeld(AlarmState state, Instant start) {
    long depth;
    int running;
    try {
      depth = backlog.depth().backlog();
      running = depth == 0 ? 0 : launcher.running();
    } catch (RuntimeException e) {
      LOG.error("reconcile: cannot read the backlog or the fleet: {}", e.toString());
      throw e;
    }
    if (depth == 0 || running > 0) {
      unattendedSince = null;
      return log(
          TriggerReport.without(
              TriggerReport.Action.IDLE,
              "idle: alarm "
                  + state
                  + (depth == 0
                      ? ", queue empty"
                      : ", " + depth + " message(s) held by " + running + " running task(s)")),
          TriggerDecisionLine.RECONCILE,
          start);
    }
    if (unattendedSince == null) {
      unattendedSince = start;
      return log(
          TriggerReport.without(
              TriggerReport.Action.IDLE,
              "idle: alarm "
                  + state
                  + ", "
                  + depth
                  + " message(s) wait and no task runs; one starts if that is still so at the"
                  + " next check"),
          TriggerDecisionLine.RECONCILE,
          start);
    }
    unattendedSince = null;
    ScalingDecision d = new ScalingDecision(depth, 0, 1, 1);
    Optional<CrashLoop.Hold> held = hold();
    if (held.isPresent()) {
      return log(
          TriggerReport.held(d, "reconcile (activation): " + held.get().reason()),
          TriggerDecisionLine.RECONCILE,
          start);
    }
    LaunchResult result = launcher.launch(1);
    String reason =
        "reconcile: alarm "
            + state
            + ", but "
            + depth
            + " message(s) wait and no task runs (activation); started "
            + result.started().size()
            + " of 1";
    if (!result.started().isEmpty()) {
      LOG.info("[{}] started tasks {}", TriggerDecisionLine.RECONCILE, result.started());
    }
    return log(
        TriggerReport.decided(d, result.started(), result.failures(), reason),
        TriggerDecisionLine.RECONCILE,
        start);
  }

  private TriggerReport decideOn(String message, String id, Instant start) {
    AlarmNotification n;
    try {
      n = AlarmNotification.parse(message);
    } catch (MalformedNotificationException e) {
      return log(
          TriggerReport.without(TriggerReport.Action.MALFORMED, "malformed: " + e.getMessage()),
          id,
          start);
    }
    if (!n.alarmName().equals(settings.alarm())) {
      return log(
          TriggerReport.without(
              TriggerReport.Action.IGNORED,
              "ignored: alarm '" + n.alarmName() + "' is not '" + settings.alarm() + "'"),
          id,
          start);
    }
    if (n.newState() != AlarmState.ALARM) {
      return log(
          TriggerReport.without(TriggerReport.Action.IGNORED, "ignored: state " + n.newState()),
          id,
          start);
    }
    return decide(
        "alarm " + n.alarmName() + " " + n.oldState() + " -> ALARM at " + n.stateChangeTime(),
        id,
        start);
  }

  private TriggerReport decide(String why, String id, Instant start) {
    return leased(why, id, () -> decideHeld(why, id, start));
  }

  private TriggerReport decideHeld(String why, String id, Instant start) {
    long depth;
    int running;
    try {
      depth = backlog.depth().backlog();
      running = launcher.running();
    } catch (RuntimeException e) {
      LOG.error("{} [{}]: cannot read the backlog or the fleet: {}", why, id, e.toString());
      throw e;
    }
    ScalingDecision d = ScalingPolicy.decide(settings.policy(), depth, running);
    if (d.toStart() > 0) {
      Optional<CrashLoop.Hold> held = hold();
      if (held.isPresent()) {
        return log(TriggerReport.held(d, why + "; " + held.get().reason()), id, start);
      }
    }
    LaunchResult result = d.toStart() > 0 ? launcher.launch(d.toStart()) : LaunchResult.empty();
    String reason =
        d.toStart() > 0
            ? why + "; started " + result.started().size() + " of " + d.toStart()
            : why + "; " + running + " task(s) running, " + d.desired() + " wanted";
    TriggerReport report = TriggerReport.decided(d, result.started(), result.failures(), reason);
    if (!result.started().isEmpty()) {
      LOG.info("[{}] started tasks {}", id, result.started());
    }
    // Each failure's detail was logged by the launcher; the decision line has their reasons.
    return log(report, id, start);
  }

  /** Logs {@code report} as its one decision line: a warning when it needs attention. */
  private TriggerReport log(TriggerReport report, String id, Instant start) {
    String line =
        TriggerDecisionLine.write(report, id, Duration.between(start, clock.instant()).toMillis());
    if (report.action() == TriggerReport.Action.MALFORMED
        || report.action() == TriggerReport.Action.HELD
        || !report.failures().isEmpty()) {
      LOG.warn("{}", line);
    } else {
      LOG.info("{}", line);
    }
    return report;
  }
}
