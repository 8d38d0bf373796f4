package dev.surge.dashboard;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.PipelineEvent.RunSummary;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The state of a run as the events seen so far tell it: what the page shows on load and what {@code
 * GET /api/snapshot} returns. Built by {@link SnapshotBuilder}.
 *
 * @param runTarget what runs the pipeline ({@code local}, {@code aws}, ...)
 * @param names the pipeline's resource names
 * @param lastSequence the sequence number of the last event folded in (0 = none)
 * @param firstEventAt when the first event folded in happened
 * @param lastEventAt when the last event folded in happened
 * @param queue the queue's last sample
 * @param items the table's last item count
 * @param produced messages sent so far
 * @param target messages the producer will send (0 until it says)
 * @param alarm the alarm as of its last change
 * @param notifications the topic's deliveries to the function
 * @param lastTrigger the trigger's last decision
 * @param tasks every task seen, in order of first appearance
 * @param tasksByState how many tasks are in each state (every state present)
 * @param summary the run's figures, once it finished
 */
public record Snapshot(
    String runTarget,
    ResourceNames names,
    long lastSequence,
    Optional<Instant> firstEventAt,
    Optional<Instant> lastEventAt,
    Queue queue,
    long items,
    long produced,
    long target,
    Alarm alarm,
    Notifications notifications,
    Optional<TriggerDecided> lastTrigger,
    List<Task> tasks,
    Map<TaskState, Integer> tasksByState,
    Optional<RunSummary> summary) {

  /** Requires every field; copies the collections. */
  public Snapshot {
    Objects.requireNonNull(runTarget, "runTarget");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(firstEventAt, "firstEventAt");
    Objects.requireNonNull(lastEventAt, "lastEventAt");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(alarm, "alarm");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(lastTrigger, "lastTrigger");
    Objects.requireNonNull(summary, "summary");
    tasks = List.copyOf(tasks);
    EnumMap<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (TaskState state : TaskState.values()) {
      counts.put(state, tasksByState.getOrDefault(state, 0));
    }
    tasksByState = Map.copyOf(counts);
  }

  /** Whether the run's summary arrived. */
  public boolean finished() {
    return summary.isPresent();
  }

  /**
   * The queue's counters.
   *
   * @param visible ready to be received
   * @param inFlight received, not yet deleted
   * @param delayed not yet visible
   * @param deadLetters in the dead-letter queue
   * @param sampledAt when they were read, if ever
   */
  public record Queue(
      long visible, long inFlight, long delayed, long deadLetters, Optional<Instant> sampledAt) {
    /** Requires every field. */
    public Queue {
      Objects.requireNonNull(sampledAt, "sampledAt");
    }

    /** Nothing sampled yet. */
    public static Queue none() {
      return new Queue(0, 0, 0, 0, Optional.empty());
    }
  }

  /**
   * The alarm.
   *
   * @param name its name
   * @param state its state; {@code INSUFFICIENT_DATA} until it says otherwise, as CloudWatch
   * @param threshold its threshold, once an event told it
   * @param reason the reason of its last change (empty before)
   * @param changedAt when it last changed, if it has
   * @param transitions how many changes were seen
   */
  public record Alarm(
      String name,
      AlarmState state,
      OptionalDouble threshold,
      String reason,
      Optional<Instant> changedAt,
      int transitions) {
    /** Requires every field. */
    public Alarm {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(threshold, "threshold");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(changedAt, "changedAt");
    }

    /** The alarm named {@code name} before any change. */
    public static Alarm initial(String name) {
      return new Alarm(
          name, AlarmState.INSUFFICIENT_DATA, OptionalDouble.empty(), "", Optional.empty(), 0);
    }
  }

  /**
   * The topic's delivery attempts to the function.
   *
   * @param delivered attempts that succeeded
   * @param failed attempts that failed
   * @param lastAt when the last attempt happened, if any
   */
  public record Notifications(long delivered, long failed, Optional<Instant> lastAt) {
    /** Requires every field. */
    public Notifications {
      Objects.requireNonNull(lastAt, "lastAt");
    }

    /** No attempt yet. */
    public static Notifications none() {
      return new Notifications(0, 0, Optional.empty());
    }
  }

  /**
   * One task.
   *
   * @param view the task as last reported
   * @param itemsWritten the most items it was reported to have written
   */
  public record Task(TaskView view, long itemsWritten) {
    /** Requires the view. */
    public Task {
      Objects.requireNonNull(view, "view");
    }
  }
}
