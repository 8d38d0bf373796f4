package dev.surge.dashboard;

import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog.Sequenced;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.observe.PipelineEvent.ItemsCounted;
import dev.surge.core.observe.PipelineEvent.Note;
import dev.surge.core.observe.PipelineEvent.NotificationDelivered;
import dev.surge.core.observe.PipelineEvent.Produced;
import dev.surge.core.observe.PipelineEvent.QueueSampled;
import dev.surge.core.observe.PipelineEvent.RunFinished;
import dev.surge.core.observe.PipelineEvent.RunSummary;
import dev.surge.core.observe.PipelineEvent.TaskChanged;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Folds a run's events, in sequence order, into a {@link Snapshot}. Subscribe it to an {@code
 * EventLog}; read {@link #snapshot()} from any thread.
 */
public final class SnapshotBuilder implements Consumer<Sequenced> {
  private final String runTarget;
  private final ResourceNames names;
  private final Map<String, Snapshot.Task> tasks = new LinkedHashMap<>();
  private long lastSequence;
  private Instant firstEventAt;
  private Instant lastEventAt;
  private Snapshot.Queue queue = Snapshot.Queue.none();
  private long items;
  private long produced;
  private long target;
  private Snapshot.Alarm alarm;
  private Snapshot.Notifications notifications = Snapshot.Notifications.none();
  private TriggerDecided lastTrigger;
  private RunSummary summary;

  /** A builder for a run on {@code runTarget} with these resource names. */
  public SnapshotBuilder(String runTarget, ResourceNames names) {
    this.runTarget = Objects.requireNonNull(runTarget, "runTarget");
    this.names = Objects.requireNonNull(names, "names");
    this.alarm = Snapshot.Alarm.initial(names.alarm());
  }

  /**
   * Folds one event in. Events at or below the last sequence folded are ignored, so a replay that
   * overlaps what was seen does not count twice.
   */
  @Override
  public synchronized void accept(Sequenced sequenced) {
    if (sequenced.sequence() <= lastSequence) {
      return;
    }
    lastSequence = sequenced.sequence();
    PipelineEvent event = sequenced.event();
    if (firstEventAt == null) {
      firstEventAt = event.at();
    }
    lastEventAt = event.at();
    fold(event);
  }

  private void fold(PipelineEvent event) {
    if (event instanceof QueueSampled e) {
      queue =
          new Snapshot.Queue(
              e.depth().visible(),
              e.depth().inFlight(),
              e.depth().delayed(),
              e.deadLetters(),
              Optional.of(e.at()));
    } else if (event instanceof ItemsCounted e) {
      items = e.items();
    } else if (event instanceof Produced e) {
      produced = e.sent();
      target = e.target();
    } else if (event instanceof AlarmChanged e) {
      alarm =
          new Snapshot.Alarm(
              e.alarm(),
              e.to(),
              OptionalDouble.of(e.threshold()),
              e.reason(),
              Optional.of(e.at()),
              alarm.transitions() + 1);
    } else if (event instanceof NotificationDelivered e) {
      notifications =
          new Snapshot.Notifications(
              notifications.delivered() + (e.delivered() ? 1 : 0),
              notifications.failed() + (e.delivered() ? 0 : 1),
              Optional.of(e.at()));
    } else if (event instanceof TriggerDecided e) {
      lastTrigger = e;
    } else if (event instanceof TaskChanged e) {
      Snapshot.Task before = tasks.get(e.task().taskId());
      // The count only grows: a later report without it (0) must not hide an earlier one.
      long written = Math.max(before == null ? 0 : before.itemsWritten(), e.itemsWritten());
      tasks.put(e.task().taskId(), new Snapshot.Task(e.task(), written));
    } else if (event instanceof RunFinished e) {
      summary = e.summary();
    } else if (event instanceof Note) {
      // Notes only go to the event log.
    }
  }

  /** The state folded so far. */
  public synchronized Snapshot snapshot() {
    Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
    for (Snapshot.Task task : tasks.values()) {
      byState.merge(task.view().state(), 1, Integer::sum);
    }
    return new Snapshot(
        runTarget,
        names,
        lastSequence,
        Optional.ofNullable(firstEventAt),
        Optional.ofNullable(lastEventAt),
        queue,
        items,
        produced,
        target,
        alarm,
        notifications,
        Optional.ofNullable(lastTrigger),
        new ArrayList<>(tasks.values()),
        byState,
        Optional.ofNullable(summary));
  }

  /** The sequence number of the last event folded in (0 = none). */
  public synchronized long lastSequence() {
    return lastSequence;
  }
}
