package dev.surge.trigger;

import dev.surge.core.port.LaunchFailure;
import dev.surge.core.scaling.ScalingDecision;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the trigger did with one notification or one reconcile.
 *
 * @param action what happened
 * @param backlog messages visible plus in flight when deciding (0 when no decision was made)
 * @param running tasks alive when deciding (0 when no decision was made)
 * @param desired the fleet size the policy wanted (0 when no decision was made)
 * @param started ids of the tasks started
 * @param failures one entry per task that could not be started
 * @param reason a short sentence for logs and the caller: why this action
 */
public record TriggerReport(
    Action action,
    long backlog,
    int running,
    int desired,
    List<String> started,
    List<LaunchFailure> failures,
    String reason) {

  /** What the trigger did. */
  public enum Action {
    /** Decided, and tasks were asked for (some may have failed: see {@code failures}). */
    LAUNCHED,
    /** Decided, and enough tasks were already running. */
    SATISFIED,
    /** A notification that needs nothing: another alarm, or a state other than ALARM. */
    IGNORED,
    /** A notification already handled (same SNS message id). */
    DUPLICATE,
    /** A message that is not an alarm notification. */
    MALFORMED,
    /** A reconcile while the alarm is not in ALARM. */
    IDLE,
    /** Decided, but launches are held back: the latest tasks could not run (see the reason). */
    HELD
  }

  /** Requires every part; copies the lists. */
  public TriggerReport {
    Objects.requireNonNull(action, "action");
    started = List.copyOf(started);
    failures = List.copyOf(failures);
    Objects.requireNonNull(reason, "reason");
  }

  /** A report of {@code action} without a decision. */
  static TriggerReport without(Action action, String reason) {
    return new TriggerReport(action, 0, 0, 0, List.of(), List.of(), reason);
  }

  /** A report of a decision and what its launch achieved. */
  static TriggerReport decided(
      ScalingDecision d, List<String> started, List<LaunchFailure> failures, String reason) {
    return new TriggerReport(
        d.toStart() > 0 ? Action.LAUNCHED : Action.SATISFIED,
        d.backlog(),
        d.running(),
        d.desired(),
        started,
        failures,
        reason);
  }

  /** A decision whose launch is held back, for {@code reason}. */
  static TriggerReport held(ScalingDecision d, String reason) {
    return new TriggerReport(
        Action.HELD, d.backlog(), d.running(), d.desired(), List.of(), List.of(), reason);
  }

  /** Tasks asked for: started plus failed. */
  public int toStart() {
    return started.size() + failures.size();
  }

  /** One line for a log or a Lambda result. */
  public String summary() {
    if (action != Action.LAUNCHED && action != Action.SATISFIED) {
      return reason; // already says what happened: "ignored: state OK", "malformed: ..."
    }
    StringBuilder s =
        new StringBuilder(action.name())
            .append(": ")
            .append(reason)
            .append(" [backlog=")
            .append(backlog)
            .append(" running=")
            .append(running)
            .append(" desired=")
            .append(desired)
            .append(" started=")
            .append(started.size())
            .append(" failed=")
            .append(failures.size());
    if (!failures.isEmpty()) {
      Map<String, Long> byReason =
          failures.stream()
              .collect(
                  Collectors.groupingBy(
                      LaunchFailure::reason, TreeMap::new, Collectors.counting()));
      s.append(" reasons=").append(byReason);
    }
    return s.append(']').toString();
  }
}
