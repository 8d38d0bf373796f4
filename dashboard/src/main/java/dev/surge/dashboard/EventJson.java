package dev.surge.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.cost.AwsBill;
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
import dev.surge.core.observe.WriteRate;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of {@link PipelineEvent}s: one JSON object per event, with {@code sequence}, {@code
 * type} and {@code at} (ISO-8601) first, then the event's own fields under explicit names. The
 * field names are a contract with the page and with scripts; they do not follow Java renames.
 */
public final class EventJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EventJson() {}

  /** The event with its sequence number. */
  public static ObjectNode of(Sequenced sequenced) {
    ObjectNode node = NODES.objectNode();
    node.put("sequence", sequenced.sequence());
    fill(node, sequenced.event());
    return node;
  }

  /** The event alone (as the snapshot embeds the last trigger decision). */
  public static ObjectNode of(PipelineEvent event) {
    ObjectNode node = NODES.objectNode();
    fill(node, event);
    return node;
  }

  private static void fill(ObjectNode node, PipelineEvent event) {
    node.put("type", event.type());
    node.put("at", instant(event.at()));
    if (event instanceof QueueSampled e) {
      node.put("visible", e.depth().visible());
      node.put("inFlight", e.depth().inFlight());
      node.put("delayed", e.depth().delayed());
      node.put("deadLetters", e.deadLetters());
    } else if (event instanceof ItemsCounted e) {
      node.put("items", e.items());
    } else if (event instanceof Produced e) {
      node.put("sent", e.sent());
      node.put("target", e.target());
    } else if (event instanceof AlarmChanged e) {
      node.put("alarm", e.alarm());
      node.put("from", e.from().name());
      node.put("to", e.to().name());
      node.put("reason", e.reason());
      number(node, "threshold", e.threshold());
    } else if (event instanceof NotificationDelivered e) {
      node.put("topic", e.topic());
      node.put("messageId", e.messageId());
      node.put("subscriber", e.subscriber());
      node.put("attempt", e.attempt());
      node.put("delivered", e.delivered());
      node.put("error", e.error());
    } else if (event instanceof TriggerDecided e) {
      trigger(node, e);
    } else if (event instanceof TaskChanged e) {
      node.set("task", task(e.task(), e.itemsWritten()));
    } else if (event instanceof Note e) {
      node.put("level", e.level());
      node.put("message", e.message());
    } else if (event instanceof RunFinished e) {
      node.set("summary", summary(e.summary()));
    } else {
      throw new IllegalArgumentException("no JSON form for " + event.getClass().getName());
    }
  }

  private static void trigger(ObjectNode node, TriggerDecided e) {
    node.put("cause", e.cause());
    node.put("action", e.action());
    node.put("backlog", e.backlog());
    node.put("running", e.running());
    node.put("desired", e.desired());
    node.put("started", e.started());
    ArrayNode failures = node.putArray("failures");
    e.failures().forEach(failures::add);
    node.put("note", e.note());
  }

  /** A task: id, host, state, start and stop times, exit code, stop reason, items written. */
  static ObjectNode task(TaskView task, long itemsWritten) {
    ObjectNode node = NODES.objectNode();
    node.put("id", task.taskId());
    node.put("host", task.host());
    node.put("state", task.state().name());
    node.put("startedAt", instant(task.startedAt()));
    node.put("stoppedAt", task.stoppedAt().map(EventJson::instant).orElse(null));
    if (task.exitCode().isPresent()) {
      node.put("exitCode", task.exitCode().get());
    } else {
      node.putNull("exitCode");
    }
    node.put("stopReason", task.stopReason().orElse(null));
    node.put("itemsWritten", itemsWritten);
    return node;
  }

  /**
   * The end-of-run figures, under the {@link RunSummary} component names, then its verdict ({@code
   * unaccounted} and {@code success}, by the summary's one rule: the page computes none).
   */
  static ObjectNode summary(RunSummary s) {
    ObjectNode node = NODES.objectNode();
    node.put("produced", s.produced());
    node.put("inTable", s.inTable());
    node.put("written", s.written());
    node.put("inDeadLetterQueue", s.inDeadLetterQueue());
    node.put("leftInQueue", s.leftInQueue());
    node.put("purged", s.purged());
    node.put("redelivered", s.redelivered());
    node.put("tasksLaunched", s.tasksLaunched());
    ObjectNode perHost = node.putObject("itemsPerHost");
    // Sorted, so the same summary always prints the same way.
    for (Map.Entry<String, Long> entry : new TreeMap<>(s.itemsPerHost()).entrySet()) {
      perHost.put(entry.getKey(), entry.getValue());
    }
    node.put("timeToAlarmMillis", s.timeToAlarmMillis());
    node.put("alarmToFirstItemMillis", s.alarmToFirstItemMillis());
    node.put("drainMillis", s.drainMillis());
    number(node, "itemsPerSecond", s.itemsPerSecond());
    number(node, "requestsPerMessage", s.requestsPerMessage());
    ObjectNode rate = node.putObject("writeRate");
    rate.put("from", instant(s.writeRate().from()));
    rate.put("windowMillis", s.writeRate().windowMillis());
    // [millis after from, items per second]: compact, as a long run has hundreds of points
    ArrayNode points = rate.putArray("points");
    for (WriteRate.Point p : s.writeRate().points()) {
      points.addArray().add(p.afterMillis()).add(p.perSecond());
    }
    ObjectNode bill = node.putObject("bill");
    bill.put("region", s.bill().region());
    bill.put("pricesAsOf", s.bill().pricesAsOf());
    bill.put("totalUsd", s.bill().totalUsd());
    ArrayNode lines = bill.putArray("lines");
    for (AwsBill.Line l : s.bill().lines()) {
      lines.addObject().put("service", l.service()).put("usage", l.usage()).put("usd", l.usd());
    }
    node.put("unaccounted", s.unaccounted());
    node.put("success", s.success());
    return node;
  }

  /** ISO-8601, as {@link Instant#toString()}. */
  static String instant(Instant at) {
    return at.toString();
  }

  /** A double, or null when it is not finite (JSON has no NaN or infinity). */
  static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
