package dev.surge.watch;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static dev.surge.testing.AwsStub.cbor;
import static dev.surge.testing.AwsStub.cloudWatch;
import static dev.surge.testing.AwsStub.ecs;
import static dev.surge.testing.AwsStub.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One status snapshot read from the stand-ins (queue, table) and a stub (alarm, tasks). */
@ExtendWith(StandInsExtension.class)
class AwsStatusIT {
  private static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
  private static final Instant SINCE = Instant.parse("2026-11-27T21:49:00Z");

  @Test
  void readsEveryPartOfThePipelineInOneSnapshot(StandIns standIns) throws Exception {
    try (Deployed d = new Deployed(standIns, "status");
        ServiceClients services = ServiceClients.build(d.clients)) {
      d.send(4);
      d.sendDeadLetters(1);
      d.putItems(3);
      d.stub.server.stubFor(
          cloudWatch("DescribeAlarms")
              .willReturn(
                  cbor(
                      200,
                      Map.of(
                          "MetricAlarms",
                          List.of(
                              AwsAnswers.alarm(
                                  d.outputs.alarmName(), "ALARM", "Threshold Crossed", SINCE)),
                          "CompositeAlarms",
                          List.of()))));
      String c = Deployed.CLUSTER;
      d.stub.server.stubFor(
          ecs("ListTasks")
              .withRequestBody(matchingJsonPath("$.startedBy", equalTo("surge")))
              .willReturn(
                  json(
                      Map.of(
                          "taskArns",
                          List.of(AwsAnswers.taskArn(c, "p"), AwsAnswers.taskArn(c, "r"))))));
      d.stub.server.stubFor(
          ecs("ListTasks")
              .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("STOPPED")))
              .willReturn(json(Map.of("taskArns", List.of(AwsAnswers.taskArn(c, "s"))))));
      d.stub.server.stubFor(
          ecs("DescribeTasks")
              .willReturn(
                  json(
                      Map.of(
                          "tasks",
                          List.of(
                              AwsAnswers.task(c, Deployed.CONTAINER, "p", "PENDING", 0),
                              AwsAnswers.task(c, Deployed.CONTAINER, "r", "RUNNING", 0),
                              AwsAnswers.task(c, Deployed.CONTAINER, "s", "STOPPED", 0))))));

      AwsStatus status = AwsStatus.read(d.outputs, services, Clock.fixed(NOW, ZoneOffset.UTC));

      assertThat(status.at()).isEqualTo(NOW);
      assertThat(status.depth()).isEqualTo(new QueueDepth(4, 0, 0));
      assertThat(status.deadLetters()).isEqualTo(1);
      assertThat(status.items()).isEqualTo(3);
      assertThat(status.alarm().state()).isEqualTo(AlarmState.ALARM);
      assertThat(status.alarm().reason()).isEqualTo("Threshold Crossed");
      assertThat(status.alarm().threshold()).isEqualTo(100.0);
      assertThat(status.alarm().since()).contains(SINCE);
      assertThat(status.tasksIn(TaskState.PROVISIONING))
          .extracting(TaskView::taskId)
          .containsExactly("p");
      assertThat(status.tasksIn(TaskState.RUNNING))
          .extracting(TaskView::taskId)
          .containsExactly("r");
      assertThat(status.tasksIn(TaskState.STOPPED))
          .extracting(TaskView::taskId)
          .containsExactly("s");

      StringWriter out = new StringWriter();
      status.print(new PrintWriter(out));
      assertThat(out.toString())
          .contains("queue  " + d.name + ": 4 visible, 0 in flight, 0 delayed (backlog 4)")
          .contains("dlq    " + d.name + "-dlq: 1 message(s)")
          .contains(
              "alarm  " + d.name + "-backlog: ALARM since 2026-11-27T21:49:00Z (threshold 100)")
          .contains("tasks  1 provisioning, 1 running, 1 stopped")
          .contains("table  " + d.name + ": 3 item(s)");
      JsonNode json = new ObjectMapper().readTree(status.toJson());
      assertThat(json.at("/queue/visible").asLong()).isEqualTo(4);
      assertThat(json.at("/tasks/stopped/0/id").asText()).isEqualTo("s");
      assertThat(json.at("/tasks/stopped/0/exitCode").asInt()).isZero();
    }
  }
}
