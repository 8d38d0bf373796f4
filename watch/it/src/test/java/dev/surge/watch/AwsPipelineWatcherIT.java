package dev.surge.watch;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static dev.surge.testing.AwsStub.cbor;
import static dev.surge.testing.AwsStub.cloudWatch;
import static dev.surge.testing.AwsStub.ecs;
import static dev.surge.testing.AwsStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.observe.PipelineEvent.ItemsCounted;
import dev.surge.core.observe.PipelineEvent.Note;
import dev.surge.core.observe.PipelineEvent.QueueSampled;
import dev.surge.core.observe.PipelineEvent.TaskChanged;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.TaskState;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import dev.surge.testing.AwsStub;
import dev.surge.trigger.TriggerDecisionLine;
import dev.surge.trigger.TriggerReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The watcher end to end at the wire level: SQS and DynamoDB are the real stand-ins, CloudWatch and
 * ECS an HTTP stub whose answers the test changes while the watcher polls.
 */
@ExtendWith(StandInsExtension.class)
class AwsPipelineWatcherIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Instant SINCE = Instant.parse("2026-11-27T21:49:00Z");
  private static StandIns standIns;

  private final EventLog events = new EventLog(100_000);
  private Deployed deployed;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  @BeforeEach
  void deploy() {
    deployed = new Deployed(standIns, "watch");
  }

  @AfterEach
  void undeploy() {
    deployed.close();
  }

  private AwsPipelineWatcher watcher() {
    return new AwsPipelineWatcher(
        deployed.outputs, deployed.clients, events, Clock.systemUTC(), WatchPeriods.every(POLL));
  }

  private void alarmIs(String state, String reason) {
    deployed.stub.server.stubFor(
        cloudWatch("DescribeAlarms")
            .willReturn(
                cbor(
                    200,
                    Map.of(
                        "MetricAlarms",
                        List.of(
                            AwsAnswers.alarm(deployed.outputs.alarmName(), state, reason, SINCE)),
                        "CompositeAlarms",
                        List.of()))));
  }

  /** ListTasks answers {@code running} and {@code stopped}; DescribeTasks describes {@code all}. */
  private void tasksAre(List<String> running, List<String> stopped, List<Map<String, Object>> all) {
    String cluster = Deployed.CLUSTER;
    deployed.stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.startedBy", equalTo("surge")))
            .willReturn(
                json(
                    Map.of(
                        "taskArns",
                        running.stream().map(id -> AwsAnswers.taskArn(cluster, id)).toList()))));
    deployed.stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("STOPPED")))
            .willReturn(
                json(
                    Map.of(
                        "taskArns",
                        stopped.stream().map(id -> AwsAnswers.taskArn(cluster, id)).toList()))));
    deployed.stub.server.stubFor(
        ecs("DescribeTasks").willReturn(json(Map.of("tasks", all, "failures", List.of()))));
  }

  /** FilterLogEvents on {@code group} answers {@code events}. */
  private void logGroupHas(String group, List<Map<String, Object>> logEvents) {
    deployed.stub.server.stubFor(
        AwsStub.logs("FilterLogEvents")
            .withRequestBody(matchingJsonPath("$.logGroupName", equalTo(group)))
            .willReturn(json(Map.of("events", logEvents, "searchedLogStreams", List.of()))));
  }

  private static Map<String, Object> task(String id, String lastStatus) {
    return AwsAnswers.task(Deployed.CLUSTER, Deployed.CONTAINER, id, lastStatus, 0);
  }

  private <T extends PipelineEvent> List<T> all(Class<T> type) {
    return events.events().stream()
        .map(s -> s.event())
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private <T extends PipelineEvent> T awaitEvent(Class<T> type, Predicate<T> match) {
    return await()
        .atMost(WAIT)
        .until(() -> all(type).stream().filter(match).findFirst(), Optional::isPresent)
        .get();
  }

  private List<String> taskStates(String id) {
    return all(TaskChanged.class).stream()
        .filter(c -> c.task().taskId().equals(id))
        .map(c -> c.task().state().name())
        .toList();
  }

  private static boolean pollThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("aws-watch-"));
  }

  @Test
  void publishesQueueItemsAlarmAndTaskChangesAsTheyHappen() {
    alarmIs("OK", "Threshold Crossed: no datapoints were received for 1 period.");
    tasksAre(List.of(), List.of("old"), List.of(task("old", "STOPPED")));
    // Logged just after the watch starts (the function's log group is read from then on).
    long now = System.currentTimeMillis() + 10_000;
    String stream = "2026/11/27/[$LATEST]8f5d";
    logGroupHas(
        deployed.outputs.functionLogGroup(),
        List.of(
            AwsAnswers.logEvent("e1", stream, now, "START RequestId: 8f5d Version: $LATEST"),
            AwsAnswers.logEvent(
                "e2", stream, now + 1, "INFO TriggerService - [reconcile] started tasks [t1]"),
            AwsAnswers.logEvent(
                "e3",
                stream,
                now + 2,
                "INFO TriggerService - "
                    + TriggerDecisionLine.write(
                        new TriggerReport(
                            TriggerReport.Action.LAUNCHED,
                            3,
                            0,
                            2,
                            List.of("t1"),
                            List.of(new LaunchFailure("RESOURCE:MEMORY", "no capacity")),
                            "reconcile: alarm a is in ALARM; started 1 of 2"),
                        "reconcile",
                        212))));
    logGroupHas(
        deployed.outputs.workerLogGroup(),
        List.of(
            AwsAnswers.logEvent(
                "w1", "worker/fasttrack-saa/other", now, "SURGE_WORKER_SUMMARY {\"written\":99}"),
            AwsAnswers.logEvent(
                "w2", "worker/fasttrack-saa/t1", now, "SURGE_WORKER_SUMMARY {\"written\":7}")));
    deployed.send(3);
    deployed.putItems(2);

    try (AwsPipelineWatcher watcher = watcher()) {
      watcher.start();
      Note start = (Note) events.events().get(0).event();
      assertThat(start.message())
          .startsWith("watching stack TestSurge in us-east-1 (CREATE_COMPLETE): queue watch-")
          .contains("topic arn:aws:sns:us-east-1:<account>:fasttrack-saa")
          .contains("tasks started by surge")
          .contains("log group /aws/lambda/fasttrack-saa")
          .doesNotContain(AwsAnswers.ACCOUNT);

      // Queue and table: what the stand-ins hold.
      awaitEvent(QueueSampled.class, q -> q.depth().visible() == 3);
      awaitEvent(ItemsCounted.class, i -> i.items() == 2);
      deployed.putItems(5); // overwrites two, adds three
      awaitEvent(ItemsCounted.class, i -> i.items() == 5);

      // Alarm: the first observation, then one change.
      AlarmChanged first = awaitEvent(AlarmChanged.class, a -> true);
      assertThat(first.from()).isEqualTo(AlarmState.OK);
      assertThat(first.to()).isEqualTo(AlarmState.OK);
      alarmIs("ALARM", "Threshold Crossed: 1 datapoint [150.0] was greater than 100.0.");
      AlarmChanged change = awaitEvent(AlarmChanged.class, a -> a.to() == AlarmState.ALARM);
      assertThat(change.alarm()).isEqualTo(deployed.outputs.alarmName());
      assertThat(change.from()).isEqualTo(AlarmState.OK);
      assertThat(change.reason()).startsWith("Threshold Crossed: 1 datapoint [150.0]");
      assertThat(change.threshold()).isEqualTo(100.0);
      int seen = deployed.stub.cloudWatchRequests("DescribeAlarms").size();
      await()
          .atMost(WAIT)
          .until(() -> deployed.stub.cloudWatchRequests("DescribeAlarms").size() >= seen + 3);
      assertThat(all(AlarmChanged.class)).hasSize(2);

      // Tasks: one launched task through its life; the stopped one from before is no change.
      tasksAre(
          List.of("t1"),
          List.of("old"),
          List.of(task("old", "STOPPED"), task("t1", "PROVISIONING")));
      awaitEvent(TaskChanged.class, c -> c.task().state() == TaskState.PROVISIONING);
      tasksAre(
          List.of("t1"), List.of("old"), List.of(task("old", "STOPPED"), task("t1", "RUNNING")));
      awaitEvent(TaskChanged.class, c -> c.task().state() == TaskState.RUNNING);
      tasksAre(
          List.of(), List.of("old", "t1"), List.of(task("old", "STOPPED"), task("t1", "STOPPED")));
      TaskChanged stopped =
          awaitEvent(TaskChanged.class, c -> c.task().state() == TaskState.STOPPED);

      assertThat(taskStates("t1")).containsExactly("PROVISIONING", "RUNNING", "STOPPED");
      assertThat(taskStates("old")).isEmpty();
      assertThat(stopped.task().exitCode()).contains(0);
      assertThat(stopped.task().stopReason()).contains("Essential container in task exited");
      assertThat(stopped.itemsWritten()).isEqualTo(7);
      assertThat(
              deployed.stub.logsRequests("FilterLogEvents").stream()
                  .map(r -> r.getBodyAsString())
                  .filter(b -> b.contains(deployed.outputs.workerLogGroup())))
          .singleElement()
          .satisfies(
              b ->
                  assertThat(b)
                      .contains("\"filterPattern\":\"\\\"SURGE_WORKER_SUMMARY\\\"\"")
                      .contains("\"startTime\":1795816207250"));

      // Trigger: the decision line, once, however often the log group is read.
      TriggerDecided decided = awaitEvent(TriggerDecided.class, t -> true);
      assertThat(decided.cause()).isEqualTo("reconcile");
      assertThat(decided.action()).isEqualTo("launched");
      assertThat(decided.backlog()).isEqualTo(3);
      assertThat(decided.started()).isEqualTo(1);
      assertThat(decided.failures()).containsExactly("RESOURCE:MEMORY");
      assertThat(decided.note()).isEqualTo("reconcile: alarm a is in ALARM; started 1 of 2");
      assertThat(
              deployed.stub.logsRequests("FilterLogEvents").stream()
                  .map(r -> r.getBodyAsString())
                  .filter(b -> b.contains(deployed.outputs.functionLogGroup())))
          .isNotEmpty()
          .allSatisfy(
              b -> assertThat(b).contains("\"filterPattern\":\"\\\"SURGE_TRIGGER_DECISION\\\"\""));
      int reads = deployed.stub.logsRequests("FilterLogEvents").size();
      await()
          .atMost(WAIT)
          .until(() -> deployed.stub.logsRequests("FilterLogEvents").size() >= reads + 3);
      assertThat(all(TriggerDecided.class)).hasSize(1);
      assertThat(all(Note.class))
          .extracting(Note::message)
          .anyMatch(m -> m.startsWith("1 task(s) of cluster FastTrack-Saa-Sqs-demo had stopped"));
    }

    assertThat(pollThreadsAlive()).isFalse();
    // Nothing failed, not even the polls that close() interrupted.
    assertThat(all(Note.class)).noneMatch(n -> n.level().equals("warn"));
  }

  @Test
  void anAwsErrorIsOneWarnNoteAndPollingGoesOn() {
    deployed.stub.server.stubFor(
        cloudWatch("DescribeAlarms")
            .willReturn(
                cbor(
                    403,
                    Map.of(
                        "__type",
                        "com.amazonaws.cloudwatch#AccessDenied",
                        "message",
                        "User is not authorized to perform: cloudwatch:DescribeAlarms"))));
    tasksAre(List.of(), List.of(), List.of());

    try (AwsPipelineWatcher watcher = watcher()) {
      watcher.start();
      await()
          .atMost(WAIT)
          .until(() -> deployed.stub.cloudWatchRequests("DescribeAlarms").size() >= 5);
      int samples = all(QueueSampled.class).size();
      await().atMost(WAIT).until(() -> all(QueueSampled.class).size() > samples);

      List<Note> warnings = all(Note.class).stream().filter(n -> n.level().equals("warn")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).message())
          .startsWith("could not read the alarm " + deployed.outputs.alarmName() + ": ")
          .contains("not authorized")
          .endsWith("; retrying");
      assertThat(all(AlarmChanged.class)).isEmpty();

      alarmIs("ALARM", "Threshold Crossed");
      awaitEvent(AlarmChanged.class, a -> a.to() == AlarmState.ALARM);
      assertThat(all(Note.class))
          .extracting(Note::message)
          .contains("reading the alarm " + deployed.outputs.alarmName() + " works again");
    }

    assertThat(pollThreadsAlive()).isFalse();
    assertThat(all(Note.class)).filteredOn(n -> n.level().equals("warn")).hasSize(1);
  }
}
