package dev.surge.dashboard;

import static dev.surge.dashboard.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.cost.AwsPrices;
import dev.surge.core.observe.EventLog.Sequenced;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.observe.PipelineEvent.RunSummary;
import dev.surge.core.port.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire form of every event type: names, values, ISO-8601 instants, nulls. */
class EventJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(long sequence, PipelineEvent event) throws Exception {
    // Through text and back, as a browser or script reads it.
    return MAPPER.readTree(MAPPER.writeValueAsString(EventJson.of(new Sequenced(sequence, event))));
  }

  private static List<String> fieldNames(JsonNode node) {
    return iterate(node.fieldNames());
  }

  private static <T> List<T> iterate(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void queueSampleIsFlattened() throws Exception {
    JsonNode j = json(7, Events.queue(3, 900, 40));
    assertThat(fieldNames(j))
        .containsExactly("sequence", "type", "at", "visible", "inFlight", "delayed", "deadLetters");
    assertThat(j.get("sequence").asLong()).isEqualTo(7);
    assertThat(j.get("type").asText()).isEqualTo("queue");
    assertThat(j.get("at").asText()).isEqualTo("2026-01-01T10:00:03Z");
    assertThat(j.get("visible").asLong()).isEqualTo(900);
    assertThat(j.get("inFlight").asLong()).isEqualTo(40);
    assertThat(j.get("delayed").asLong()).isZero();
    assertThat(j.get("deadLetters").asLong()).isZero();
  }

  @Test
  void itemsCount() throws Exception {
    JsonNode j = json(1, Events.items(2, 1100));
    assertThat(fieldNames(j)).containsExactly("sequence", "type", "at", "items");
    assertThat(j.get("type").asText()).isEqualTo("items");
    assertThat(j.get("items").asLong()).isEqualTo(1100);
  }

  @Test
  void produced() throws Exception {
    JsonNode j = json(1, Events.produced(1, 400));
    assertThat(fieldNames(j)).containsExactly("sequence", "type", "at", "sent", "target");
    assertThat(j.get("type").asText()).isEqualTo("produced");
    assertThat(j.get("sent").asLong()).isEqualTo(400);
    assertThat(j.get("target").asLong()).isEqualTo(1100);
  }

  @Test
  void alarmChangeNamesStatesAsCloudWatch() throws Exception {
    JsonNode j = json(1, Events.alarm(5, AlarmState.OK, AlarmState.ALARM));
    assertThat(fieldNames(j))
        .containsExactly("sequence", "type", "at", "alarm", "from", "to", "reason", "threshold");
    assertThat(j.get("type").asText()).isEqualTo("alarm");
    assertThat(j.get("alarm").asText()).isEqualTo("fasttrack-saa-backlog");
    assertThat(j.get("from").asText()).isEqualTo("OK");
    assertThat(j.get("to").asText()).isEqualTo("ALARM");
    assertThat(j.get("reason").asText()).isEqualTo("Threshold Crossed");
    assertThat(j.get("threshold").asDouble()).isEqualTo(100.0);
  }

  @Test
  void alarmThresholdThatIsNotANumberIsNull() throws Exception {
    AlarmChanged odd =
        new AlarmChanged(at(0), "a", AlarmState.INSUFFICIENT_DATA, AlarmState.OK, "r", Double.NaN);
    assertThat(json(1, odd).get("threshold").isNull()).isTrue();
  }

  @Test
  void notification() throws Exception {
    JsonNode j = json(1, Events.failed(6));
    assertThat(fieldNames(j))
        .containsExactly(
            "sequence",
            "type",
            "at",
            "topic",
            "messageId",
            "subscriber",
            "attempt",
            "delivered",
            "error");
    assertThat(j.get("type").asText()).isEqualTo("notification");
    assertThat(j.get("topic").asText()).isEqualTo("fasttrack-saa");
    assertThat(j.get("messageId").asText()).isEqualTo("m-1");
    assertThat(j.get("subscriber").asText()).isEqualTo("fasttrack-saa");
    assertThat(j.get("attempt").asInt()).isEqualTo(1);
    assertThat(j.get("delivered").asBoolean()).isFalse();
    assertThat(j.get("error").asText()).isEqualTo("function timed out");
  }

  @Test
  void triggerDecision() throws Exception {
    PipelineEvent.TriggerDecided partial =
        new PipelineEvent.TriggerDecided(
            at(7), "reconcile", "launched", 800, 2, 4, 1, List.of("RESOURCE:MEMORY"), "topped up");
    JsonNode j = json(1, partial);
    assertThat(fieldNames(j))
        .containsExactly(
            "sequence",
            "type",
            "at",
            "cause",
            "action",
            "backlog",
            "running",
            "desired",
            "started",
            "failures",
            "note");
    assertThat(j.get("type").asText()).isEqualTo("trigger");
    assertThat(j.get("cause").asText()).isEqualTo("reconcile");
    assertThat(j.get("action").asText()).isEqualTo("launched");
    assertThat(j.get("backlog").asLong()).isEqualTo(800);
    assertThat(j.get("running").asInt()).isEqualTo(2);
    assertThat(j.get("desired").asInt()).isEqualTo(4);
    assertThat(j.get("started").asInt()).isEqualTo(1);
    assertThat(j.get("failures").get(0).asText()).isEqualTo("RESOURCE:MEMORY");
    assertThat(j.get("note").asText()).isEqualTo("topped up");
  }

  @Test
  void runningTaskHasNullStopFields() throws Exception {
    JsonNode j = json(1, Events.task(8, "t1", TaskState.RUNNING, 0));
    assertThat(fieldNames(j)).containsExactly("sequence", "type", "at", "task");
    assertThat(j.get("type").asText()).isEqualTo("task");
    JsonNode t = j.get("task");
    assertThat(fieldNames(t))
        .containsExactly(
            "id",
            "host",
            "state",
            "startedAt",
            "stoppedAt",
            "exitCode",
            "stopReason",
            "itemsWritten");
    assertThat(t.get("id").asText()).isEqualTo("t1");
    assertThat(t.get("host").asText()).isEqualTo("host-t1");
    assertThat(t.get("state").asText()).isEqualTo("RUNNING");
    assertThat(t.get("startedAt").asText()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(t.get("stoppedAt").isNull()).isTrue();
    assertThat(t.get("exitCode").isNull()).isTrue();
    assertThat(t.get("stopReason").isNull()).isTrue();
  }

  @Test
  void stoppedTaskHasExitCodeReasonAndItems() throws Exception {
    JsonNode t = json(1, Events.task(20, "t1", TaskState.STOPPED, 275)).get("task");
    assertThat(t.get("state").asText()).isEqualTo("STOPPED");
    assertThat(t.get("stoppedAt").asText()).isEqualTo("2026-01-01T10:00:20Z");
    assertThat(t.get("exitCode").asInt()).isZero();
    assertThat(t.get("exitCode").isInt()).isTrue();
    assertThat(t.get("stopReason").asText()).isEqualTo("Essential container in task exited");
    assertThat(t.get("itemsWritten").asLong()).isEqualTo(275);
  }

  @Test
  void note() throws Exception {
    JsonNode j = json(1, Events.note(9, "error", "dynalite exited"));
    assertThat(fieldNames(j)).containsExactly("sequence", "type", "at", "level", "message");
    assertThat(j.get("type").asText()).isEqualTo("note");
    assertThat(j.get("level").asText()).isEqualTo("error");
    assertThat(j.get("message").asText()).isEqualTo("dynalite exited");
  }

  @Test
  void summaryCarriesEveryFigureUnderItsRecordName() throws Exception {
    JsonNode j = json(1, Events.finished(30));
    assertThat(fieldNames(j)).containsExactly("sequence", "type", "at", "summary");
    assertThat(j.get("type").asText()).isEqualTo("summary");
    JsonNode s = j.get("summary");
    List<String> components =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(RunSummary.class.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName),
                java.util.stream.Stream.of("unaccounted", "success"))
            .toList();
    assertThat(fieldNames(s)).containsExactlyElementsOf(components);
    assertThat(s.get("written").asLong()).isEqualTo(1100);
    assertThat(s.get("leftInQueue").asLong()).isZero();
    assertThat(s.get("produced").asLong()).isEqualTo(1100);
    assertThat(s.get("inTable").asLong()).isEqualTo(1100);
    assertThat(s.get("inDeadLetterQueue").asLong()).isZero();
    assertThat(s.get("unaccounted").asLong()).isZero();
    assertThat(s.get("redelivered").asLong()).isEqualTo(2);
    assertThat(s.get("tasksLaunched").asInt()).isEqualTo(4);
    assertThat(fieldNames(s.get("itemsPerHost"))).containsExactly("host-a", "host-b");
    assertThat(s.get("itemsPerHost").get("host-a").asLong()).isEqualTo(550);
    assertThat(s.get("timeToAlarmMillis").asLong()).isEqualTo(61_000);
    assertThat(s.get("alarmToFirstItemMillis").asLong()).isEqualTo(9_000);
    assertThat(s.get("drainMillis").asLong()).isEqualTo(120_000);
    assertThat(s.get("itemsPerSecond").asDouble()).isEqualTo(36.5);
    assertThat(s.get("requestsPerMessage").asDouble()).isEqualTo(0.25);
    assertThat(s.get("success").asBoolean()).isTrue();
    // 500 items at 60 s and 600 at 61 s: a 1 s burst, so a 1 s window, one point per 100 ms
    JsonNode rate = s.get("writeRate");
    assertThat(rate.get("from").asText()).isEqualTo(Events.at(60).toString());
    assertThat(rate.get("windowMillis").asLong()).isEqualTo(1000);
    JsonNode points = rate.get("points");
    assertThat(points.get(0).toString()).isEqualTo("[0,500.0]");
    assertThat(points.get(10).toString()).isEqualTo("[1000,1100.0]");
    assertThat(points.get(points.size() - 1).toString()).isEqualTo("[2000,600.0]");
    assertThat(points).hasSize(21);
    JsonNode bill = s.get("bill");
    assertThat(bill.get("region").asText()).isEqualTo("us-east-1");
    assertThat(bill.get("pricesAsOf").asText()).isEqualTo(AwsPrices.US_EAST_1.asOf());
    assertThat(bill.get("lines")).hasSize(7);
    assertThat(bill.get("lines").get(0).get("service").asText()).isEqualTo("Fargate");
    assertThat(bill.get("lines").get(0).get("usage").asText()).contains("4 task(s)");
    double sum = 0;
    for (JsonNode line : bill.get("lines")) {
      sum += line.get("usd").asDouble();
    }
    assertThat(bill.get("totalUsd").asDouble())
        .isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void everyEventTypeHasAWireForm() throws Exception {
    // A new event type added to core must get a JSON form here: this lists them all.
    List<Class<?>> permitted = List.of(PipelineEvent.class.getPermittedSubclasses());
    List<PipelineEvent> samples =
        List.of(
            Events.queue(0, 1, 0),
            Events.items(0, 1),
            Events.produced(0, 1),
            Events.alarm(0, AlarmState.OK, AlarmState.ALARM),
            Events.delivered(0),
            Events.launched(0),
            Events.task(0, "t", TaskState.PROVISIONING, 0),
            Events.note(0, "info", "x"),
            Events.finished(0));
    assertThat(samples.stream().map(Object::getClass).toList())
        .containsExactlyInAnyOrderElementsOf(permitted);
    Map<String, Long> types = new java.util.TreeMap<>();
    for (PipelineEvent e : samples) {
      JsonNode j = json(1, e);
      assertThat(j.get("type").asText()).isEqualTo(e.type());
      types.merge(e.type(), 1L, Long::sum);
    }
    assertThat(types).hasSize(samples.size()).allSatisfy((type, n) -> assertThat(n).isOne());
  }
}
