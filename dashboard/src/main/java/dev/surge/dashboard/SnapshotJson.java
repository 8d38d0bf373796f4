package dev.surge.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.ResourceNames;
import dev.surge.core.port.TaskState;
import java.time.Instant;
import java.util.Optional;

/**
 * The wire form of a {@link Snapshot}, as {@code GET /api/snapshot} returns it. Field names are
 * explicit (a contract with the page and {@code surge status}); absent values are {@code null}.
 */
public final class SnapshotJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SnapshotJson() {}

  /** The snapshot as a JSON object. */
  public static ObjectNode of(Snapshot s) {
    ObjectNode node = NODES.objectNode();
    node.put("lastSequence", s.lastSequence());
    node.put("runTarget", s.runTarget());
    node.put("firstEventAt", instant(s.firstEventAt()));
    node.put("lastEventAt", instant(s.lastEventAt()));
    node.set("resources", resources(s.names()));

    ObjectNode queue = node.putObject("queue");
    queue.put("visible", s.queue().visible());
    queue.put("inFlight", s.queue().inFlight());
    queue.put("delayed", s.queue().delayed());
    queue.put("deadLetters", s.queue().deadLetters());
    queue.put("sampledAt", instant(s.queue().sampledAt()));

    node.put("items", s.items());
    node.put("produced", s.produced());
    node.put("target", s.target());

    ObjectNode alarm = node.putObject("alarm");
    alarm.put("name", s.alarm().name());
    alarm.put("state", s.alarm().state().name());
    if (s.alarm().threshold().isPresent()) {
      EventJson.number(alarm, "threshold", s.alarm().threshold().getAsDouble());
    } else {
      alarm.putNull("threshold");
    }
    alarm.put("reason", s.alarm().reason());
    alarm.put("changedAt", instant(s.alarm().changedAt()));
    alarm.put("transitions", s.alarm().transitions());

    ObjectNode notifications = node.putObject("notifications");
    notifications.put("delivered", s.notifications().delivered());
    notifications.put("failed", s.notifications().failed());
    notifications.put("lastAt", instant(s.notifications().lastAt()));

    node.set("lastTrigger", s.lastTrigger().map(EventJson::of).orElse(null));

    ArrayNode tasks = node.putArray("tasks");
    for (Snapshot.Task task : s.tasks()) {
      tasks.add(EventJson.task(task.view(), task.itemsWritten()));
    }
    ObjectNode byState = node.putObject("tasksByState");
    for (TaskState state : TaskState.values()) {
      byState.put(state.name(), s.tasksByState().get(state));
    }
    node.set("summary", s.summary().map(EventJson::summary).orElse(null));
    node.put("finished", s.finished());
    return node;
  }

  private static ObjectNode resources(ResourceNames names) {
    ObjectNode node = NODES.objectNode();
    node.put("queue", names.queue());
    node.put("deadLetterQueue", names.deadLetterQueue());
    node.put("alarm", names.alarm());
    node.put("topic", names.topic());
    node.put("function", names.function());
    node.put("cluster", names.cluster());
    node.put("table", names.table());
    return node;
  }

  private static String instant(Optional<Instant> at) {
    return at.map(EventJson::instant).orElse(null);
  }
}
