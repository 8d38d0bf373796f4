package dev.surge.dashboard;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.cost.AwsBill;
import dev.surge.core.cost.AwsPrices;
import dev.surge.core.cost.RunUsage;
import dev.surge.core.cost.TaskSize;
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
import dev.surge.core.observe.WriteRate;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sample events at fixed times, one factory per type. */
final class Events {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private Events() {}

  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  static QueueSampled queue(int s, long visible, long inFlight) {
    return new QueueSampled(at(s), new QueueDepth(visible, inFlight, 0), 0);
  }

  static ItemsCounted items(int s, long items) {
    return new ItemsCounted(at(s), items);
  }

  static Produced produced(int s, long sent) {
    return new Produced(at(s), sent, 1100);
  }

  static AlarmChanged alarm(int s, AlarmState from, AlarmState to) {
    return new AlarmChanged(at(s), "fasttrack-saa-backlog", from, to, "Threshold Crossed", 100);
  }

  static NotificationDelivered delivered(int s) {
    return new NotificationDelivered(at(s), "fasttrack-saa", "m-1", "fasttrack-saa", 1, true, "");
  }

  static NotificationDelivered failed(int s) {
    return new NotificationDelivered(
        at(s), "fasttrack-saa", "m-1", "fasttrack-saa", 1, false, "function timed out");
  }

  static TriggerDecided launched(int s) {
    return new TriggerDecided(
        at(s), "notification", "launched", 1100, 0, 4, 4, List.of(), "started 4 tasks");
  }

  static TaskChanged task(int s, String id, TaskState state, long items) {
    boolean stopped = state == TaskState.STOPPED;
    TaskView view =
        new TaskView(
            id,
            "host-" + id,
            state,
            at(0),
            stopped ? Optional.of(at(s)) : Optional.empty(),
            stopped ? Optional.of(0) : Optional.empty(),
            stopped ? Optional.of("Essential container in task exited") : Optional.empty());
    return new TaskChanged(at(s), view, items);
  }

  static Note note(int s, String level, String message) {
    return new Note(at(s), level, message);
  }

  static RunSummary summary() {
    return new RunSummary(
        1100,
        1100,
        1100,
        0,
        0,
        2,
        4,
        Map.of("host-b", 550L, "host-a", 550L),
        61_000,
        9_000,
        120_000,
        36.5,
        0.25,
        new WriteRate.Builder().add(at(60), 500).add(at(61), 600).build(),
        AwsBill.of(
            new RunUsage(4, 240, 400, 1100, 3, 0.375, 1, 120),
            TaskSize.WORKER,
            AwsPrices.US_EAST_1));
  }

  static RunFinished finished(int s) {
    return new RunFinished(at(s), summary());
  }
}
