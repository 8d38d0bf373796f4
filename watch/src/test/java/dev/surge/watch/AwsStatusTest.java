package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.trigger.AlarmSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status snapshot as a person and a script read it. */
class AwsStatusTest {
  private static final Instant CREATED = Instant.parse("2026-11-27T21:50:07Z");

  static AwsStatus status() {
    return new AwsStatus(
        Instant.parse("2026-11-27T22:00:00Z"),
        "Surge",
        "us-east-1",
        "UPDATE_COMPLETE",
        "demo-decoupling-saa",
        new QueueDepth(120, 30, 0),
        "demo-decoupling-saa-dlq",
        2,
        new AlarmSnapshot(
            "fasttrack-saa-backlog",
            AlarmState.ALARM,
            "Threshold Crossed: 1 datapoint [150.0] was greater than the threshold (100.0).",
            100.0,
            Optional.of(Instant.parse("2026-11-27T21:49:00Z"))),
        List.of(
            new TaskView(
                "0be27913",
                "10.0.2.17",
                TaskState.STOPPED,
                CREATED,
                Optional.of(Instant.parse("2026-11-27T21:55:12Z")),
                Optional.of(0),
                Optional.of("Essential container in task exited")),
            new TaskView(
                "5c1d6ae4",
                "ip-10-0-1-184.ec2.internal",
                TaskState.RUNNING,
                CREATED,
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            new TaskView(
                "36ad4ef9",
                "36ad4ef9",
                TaskState.PROVISIONING,
                CREATED,
                Optional.empty(),
                Optional.empty(),
                Optional.empty())),
        "fasttracksaa",
        1100);
  }

  @Test
  void printsOneLinePerPartAndOneLinePerTaskGroupedByState() {
    StringWriter out = new StringWriter();

    status().print(new PrintWriter(out));

    assertThat(out.toString().lines())
        .containsExactly(
            "stack  Surge in us-east-1 (UPDATE_COMPLETE) at 2026-11-27T22:00:00Z",
            "queue  demo-decoupling-saa: 120 visible, 30 in flight, 0 delayed (backlog 150)",
            "dlq    demo-decoupling-saa-dlq: 2 message(s)",
            "alarm  fasttrack-saa-backlog: ALARM since 2026-11-27T21:49:00Z (threshold 100)",
            "       Threshold Crossed: 1 datapoint [150.0] was greater than the threshold (100.0).",
            "tasks  1 provisioning, 1 running, 1 stopped",
            "       PROVISIONING 36ad4ef9, created 2026-11-27T21:50:07Z",
            "       RUNNING      5c1d6ae4 on ip-10-0-1-184.ec2.internal, created"
                + " 2026-11-27T21:50:07Z",
            "       STOPPED      0be27913 on 10.0.2.17, created 2026-11-27T21:50:07Z, stopped"
                + " 2026-11-27T21:55:12Z, exit 0 (Essential container in task exited)",
            "table  fasttracksaa: 1100 item(s)");
  }

  @Test
  void theJsonHasTheSameFiguresWithTasksByState() throws Exception {
    JsonNode json = new ObjectMapper().readTree(status().toJson());

    assertThat(json.get("at").asText()).isEqualTo("2026-11-27T22:00:00Z");
    assertThat(json.at("/stack/status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertThat(json.at("/queue/visible").asLong()).isEqualTo(120);
    assertThat(json.at("/queue/inFlight").asLong()).isEqualTo(30);
    assertThat(json.at("/queue/backlog").asLong()).isEqualTo(150);
    assertThat(json.at("/deadLetterQueue/messages").asLong()).isEqualTo(2);
    assertThat(json.at("/alarm/state").asText()).isEqualTo("ALARM");
    assertThat(json.at("/alarm/threshold").asDouble()).isEqualTo(100.0);
    assertThat(json.at("/alarm/since").asText()).isEqualTo("2026-11-27T21:49:00Z");
    assertThat(json.at("/alarm/reason").asText()).startsWith("Threshold Crossed");
    assertThat(json.at("/tasks/provisioning/0/id").asText()).isEqualTo("36ad4ef9");
    assertThat(json.at("/tasks/running/0/host").asText()).isEqualTo("ip-10-0-1-184.ec2.internal");
    assertThat(json.at("/tasks/running/0").has("exitCode")).isFalse();
    JsonNode stopped = json.at("/tasks/stopped/0");
    assertThat(stopped.get("exitCode").asInt()).isZero();
    assertThat(stopped.get("stoppedAt").asText()).isEqualTo("2026-11-27T21:55:12Z");
    assertThat(stopped.get("stopReason").asText()).isEqualTo("Essential container in task exited");
    assertThat(json.at("/table/items").asLong()).isEqualTo(1100);
  }

  @Test
  void anAlarmWithoutThresholdOrReasonPrintsNoneAndLeavesThemOut() throws Exception {
    AwsStatus s = status();
    AwsStatus bare =
        new AwsStatus(
            s.at(),
            s.stackName(),
            s.region(),
            s.stackStatus(),
            s.queueName(),
            s.depth(),
            s.deadLetterQueueName(),
            0,
            new AlarmSnapshot("a", AlarmState.INSUFFICIENT_DATA, "", Double.NaN, Optional.empty()),
            List.of(),
            s.tableName(),
            0);
    StringWriter out = new StringWriter();

    bare.print(new PrintWriter(out));

    assertThat(out.toString())
        .contains("alarm  a: INSUFFICIENT_DATA (threshold none)\ntasks  0 provisioning")
        .doesNotContain("       PROVISIONING");
    JsonNode json = new ObjectMapper().readTree(bare.toJson());
    assertThat(json.get("alarm").has("threshold")).isFalse();
    assertThat(json.get("alarm").has("since")).isFalse();
    assertThat(json.at("/tasks/running").isArray()).isTrue();
  }
}
