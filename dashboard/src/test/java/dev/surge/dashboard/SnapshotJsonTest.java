package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog.Sequenced;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of the snapshot: what {@code surge status} and the page read. */
class SnapshotJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(PipelineEvent... events) throws Exception {
    SnapshotBuilder builder = new SnapshotBuilder("local", ResourceNames.seed());
    long n = 0;
    for (PipelineEvent e : events) {
      builder.accept(new Sequenced(++n, e));
    }
    return MAPPER.readTree(MAPPER.writeValueAsString(SnapshotJson.of(builder.snapshot())));
  }

  @Test
  void emptySnapshotHasEveryFieldWithNullsForTheUnknown() throws Exception {
    JsonNode j = json();
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "lastSequence",
            "runTarget",
            "firstEventAt",
            "lastEventAt",
            "resources",
            "queue",
            "items",
            "produced",
            "target",
            "alarm",
            "notifications",
            "lastTrigger",
            "tasks",
            "tasksByState",
            "summary",
            "finished");
    assertThat(j.get("runTarget").asText()).isEqualTo("local");
    assertThat(j.get("firstEventAt").isNull()).isTrue();
    assertThat(j.get("alarm").get("state").asText()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(j.get("alarm").get("threshold").isNull()).isTrue();
    assertThat(j.get("alarm").get("changedAt").isNull()).isTrue();
    assertThat(j.get("lastTrigger").isNull()).isTrue();
    assertThat(j.get("summary").isNull()).isTrue();
    assertThat(j.get("finished").asBoolean()).isFalse();
    assertThat(j.get("tasksByState").get("RUNNING").asInt()).isZero();
    assertThat(j.get("resources").get("queue").asText()).isEqualTo("demo-decoupling-saa");
    assertThat(j.get("resources").get("table").asText()).isEqualTo("fasttracksaa");
  }

  @Test
  void foldedRunReadsBack() throws Exception {
    JsonNode j =
        json(
            Events.alarm(1, AlarmState.INSUFFICIENT_DATA, AlarmState.OK),
            Events.produced(2, 1100),
            Events.queue(3, 1090, 10),
            Events.alarm(4, AlarmState.OK, AlarmState.ALARM),
            Events.delivered(4),
            Events.launched(4),
            Events.task(5, "a", TaskState.RUNNING, 0),
            Events.task(9, "b", TaskState.STOPPED, 12),
            Events.items(9, 1100),
            Events.finished(10));
    assertThat(j.get("lastSequence").asLong()).isEqualTo(10);
    assertThat(j.get("firstEventAt").asText()).isEqualTo("2026-01-01T10:00:01Z");
    assertThat(j.get("lastEventAt").asText()).isEqualTo("2026-01-01T10:00:10Z");
    assertThat(j.get("queue").get("visible").asLong()).isEqualTo(1090);
    assertThat(j.get("queue").get("inFlight").asLong()).isEqualTo(10);
    assertThat(j.get("queue").get("deadLetters").asLong()).isZero();
    assertThat(j.get("queue").get("sampledAt").asText()).isEqualTo("2026-01-01T10:00:03Z");
    assertThat(j.get("items").asLong()).isEqualTo(1100);
    assertThat(j.get("produced").asLong()).isEqualTo(1100);
    assertThat(j.get("target").asLong()).isEqualTo(1100);
    JsonNode alarm = j.get("alarm");
    assertThat(alarm.get("name").asText()).isEqualTo("fasttrack-saa-backlog");
    assertThat(alarm.get("state").asText()).isEqualTo("ALARM");
    assertThat(alarm.get("threshold").asDouble()).isEqualTo(100.0);
    assertThat(alarm.get("changedAt").asText()).isEqualTo("2026-01-01T10:00:04Z");
    assertThat(alarm.get("transitions").asInt()).isEqualTo(2);
    assertThat(j.get("notifications").get("delivered").asLong()).isEqualTo(1);
    assertThat(j.get("notifications").get("failed").asLong()).isZero();
    assertThat(j.get("lastTrigger").get("type").asText()).isEqualTo("trigger");
    assertThat(j.get("lastTrigger").get("started").asInt()).isEqualTo(4);
    assertThat(j.get("lastTrigger").has("sequence")).isFalse();
    assertThat(j.get("tasks")).hasSize(2);
    assertThat(j.get("tasks").get(0).get("id").asText()).isEqualTo("a");
    assertThat(j.get("tasks").get(1).get("exitCode").asInt()).isZero();
    assertThat(j.get("tasks").get(1).get("itemsWritten").asLong()).isEqualTo(12);
    assertThat(j.get("tasksByState").get("RUNNING").asInt()).isEqualTo(1);
    assertThat(j.get("tasksByState").get("STOPPED").asInt()).isEqualTo(1);
    assertThat(j.get("tasksByState").get("PROVISIONING").asInt()).isZero();
    assertThat(j.get("summary").get("success").asBoolean()).isTrue();
    assertThat(j.get("finished").asBoolean()).isTrue();
  }
}
