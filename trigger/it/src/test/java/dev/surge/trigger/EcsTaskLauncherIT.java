package dev.surge.trigger;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static dev.surge.testing.AwsStub.ecs;
import static dev.surge.testing.AwsStub.json;
import static dev.surge.testing.AwsStub.jsonError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.testing.AwsStub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The ECS adapters against a local HTTP stub that records the exact requests the SDK sends: what
 * each request holds and how answers map to results. (The same adapters run against moto, an
 * emulator written by others, in {@code EcsTaskLauncherMotoIT}.)
 */
class EcsTaskLauncherIT {
  private static final String CLUSTER = "FastTrack-Saa-Sqs-demo";
  private static final EcsSettings SETTINGS =
      new EcsSettings(
          CLUSTER,
          "fasttrack-saa-td",
          "fasttrack-saa",
          List.of("subnet-0a1b2c3d", "subnet-4e5f6a7b"),
          List.of("sg-0123456789abcdef0"),
          true,
          "surge");

  private static AwsStub stub;
  private static EcsClient ecs;
  private static EcsTaskLauncher launcher;
  private static EcsTaskDirectory directory;

  @BeforeAll
  static void start() {
    stub = new AwsStub();
    ecs = StubbedAws.clients(stub).build(EcsClient.builder(), "ECS");
    launcher = new EcsTaskLauncher(ecs, SETTINGS);
    directory = new EcsTaskDirectory(ecs, SETTINGS);
  }

  @AfterAll
  static void stop() {
    ecs.close();
    stub.close();
  }

  @BeforeEach
  void reset() {
    stub.server.resetAll();
  }

  private static String arn(String id) {
    return "arn:aws:ecs:us-east-1:123456789012:task/" + CLUSTER + "/" + id;
  }

  private static Map<String, Object> task(String id) {
    return Map.of(
        "taskArn",
        arn(id),
        "lastStatus",
        "PROVISIONING",
        "desiredStatus",
        "RUNNING",
        "launchType",
        "FARGATE",
        "startedBy",
        "surge");
  }

  /** RunTask answers {@code count} started tasks, ids {@code <prefix>-<i>}. */
  private static void runTaskStarts(int count, String prefix) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    IntStream.range(0, count).forEach(i -> tasks.add(task(prefix + "-" + i)));
    stub.server.stubFor(
        ecs("RunTask")
            .withRequestBody(matchingJsonPath("$.count", equalTo(String.valueOf(count))))
            .willReturn(json(Map.of("tasks", tasks, "failures", List.of()))));
  }

  @Test
  void twentyThreeTasksAreThreeRunTaskCallsOfTenTenAndThree() {
    runTaskStarts(10, "a");
    runTaskStarts(3, "b");

    LaunchResult result = launcher.launch(23);

    assertThat(result.started()).hasSize(23).startsWith("a-0").endsWith("b-2");
    assertThat(result.failures()).isEmpty();
    List<LoggedRequest> requests = stub.ecsRequests("RunTask");
    assertThat(requests).hasSize(3);
    assertThat(requests)
        .allSatisfy(
            r -> {
              assertThat(r.getHeader("X-Amz-Target"))
                  .isEqualTo("AmazonEC2ContainerServiceV20141113.RunTask");
              assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-amz-json-1.1");
            });
    List<JsonNode> bodies = stub.ecsBodies("RunTask");
    assertThat(bodies).extracting(b -> b.get("count").intValue()).containsExactly(10, 10, 3);
    for (JsonNode body : bodies) {
      assertThat(body.get("cluster").asText()).isEqualTo(CLUSTER);
      assertThat(body.get("taskDefinition").asText()).isEqualTo("fasttrack-saa-td");
      assertThat(body.get("launchType").asText()).isEqualTo("FARGATE");
      assertThat(body.get("startedBy").asText()).isEqualTo("surge");
      JsonNode vpc = body.path("networkConfiguration").path("awsvpcConfiguration");
      assertThat(vpc.get("subnets").toString())
          .isEqualTo("[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"]");
      assertThat(vpc.get("securityGroups").toString()).isEqualTo("[\"sg-0123456789abcdef0\"]");
      assertThat(vpc.get("assignPublicIp").asText()).isEqualTo("ENABLED");
    }
  }

  @Test
  void theResponsesFailuresAreReportedWithTheirReasons() {
    stub.server.stubFor(
        ecs("RunTask")
            .willReturn(
                json(
                    Map.of(
                        "tasks",
                        List.of(task("ok-0")),
                        "failures",
                        List.of(
                            Map.of(
                                "arn",
                                "arn:aws:ecs:us-east-1:123456789012:container-instance/x",
                                "reason",
                                "RESOURCE:MEMORY"),
                            Map.of("reason", "AGENT", "detail", "The agent is not connected"))))));

    LaunchResult result = launcher.launch(3);

    assertThat(result.started()).containsExactly("ok-0");
    assertThat(result.failures())
        .containsExactly(
            new LaunchFailure(
                "RESOURCE:MEMORY", "arn:aws:ecs:us-east-1:123456789012:container-instance/x"),
            new LaunchFailure("AGENT", "The agent is not connected"));
  }

  @Test
  void tasksNeitherStartedNorListedAsFailuresAreStillAccountedFor() {
    stub.server.stubFor(ecs("RunTask").willReturn(json(Map.of("tasks", List.of(task("one"))))));

    LaunchResult result = launcher.launch(4);

    assertThat(result.started()).containsExactly("one");
    assertThat(result.failures()).hasSize(3).allMatch(f -> f.reason().equals("NOT_STARTED"));
  }

  @Test
  void anSdkErrorFailsThatCallsTasksAndStopsTheLaunch() {
    List<Map<String, Object>> ten = IntStream.range(0, 10).mapToObj(i -> task("a-" + i)).toList();
    stub.server.stubFor(
        ecs("RunTask")
            .inScenario("second call denied")
            .whenScenarioStateIs("Started")
            .willReturn(json(Map.of("tasks", ten, "failures", List.of())))
            .willSetStateTo("denied"));
    stub.server.stubFor(
        ecs("RunTask")
            .inScenario("second call denied")
            .whenScenarioStateIs("denied")
            .willReturn(
                jsonError(
                    400,
                    "AccessDeniedException",
                    "User is not authorized to perform: ecs:RunTask")));

    LaunchResult result = launcher.launch(25);

    assertThat(stub.ecsRequests("RunTask")).hasSize(2);
    assertThat(result.started()).hasSize(10);
    assertThat(result.failures()).hasSize(15);
    assertThat(result.failures().subList(0, 10))
        .allSatisfy(
            f -> {
              assertThat(f.reason()).isEqualTo("AccessDeniedException");
              assertThat(f.detail()).contains("not authorized").contains("stub-request-err");
            });
    assertThat(result.failures().subList(10, 15)).allMatch(f -> f.reason().equals("NOT_ATTEMPTED"));
  }

  /** ListTasks lists {@code ids}, and DescribeTasks describes them as created at {@code at}. */
  private static void listed(Instant at, String... ids) {
    stub.server.stubFor(
        ecs("ListTasks")
            .willReturn(json(Map.of("taskArns", Stream.of(ids).map(i -> arn(i)).toList()))));
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (String id : ids) {
      Map<String, Object> t = new java.util.HashMap<>(task(id));
      t.put("lastStatus", "RUNNING");
      t.put("createdAt", at.toEpochMilli() / 1000.0);
      tasks.add(t);
    }
    stub.server.stubFor(
        ecs("DescribeTasks").willReturn(json(Map.of("tasks", tasks, "failures", List.of()))));
  }

  @Test
  void aRunTaskThatFailedOnTheServerCountsItsTasksUntilTheListingShowsThem() {
    EcsTaskLauncher launcher = new EcsTaskLauncher(ecs, SETTINGS); // a ledger of its own
    stub.server.stubFor(
        ecs("RunTask").willReturn(jsonError(500, "ServerException", "Service unavailable")));
    Instant before = Instant.now();

    LaunchResult result = launcher.launch(4);

    assertThat(result.failures())
        .hasSize(4)
        .allSatisfy(f -> assertThat(f.reason()).isEqualTo("ServerException"));
    List<JsonNode> calls = stub.ecsBodies("RunTask");
    assertThat(calls).as("the SDK's attempts").hasSizeGreaterThan(1);
    assertThat(calls)
        .extracting(b -> b.get("clientToken").asText())
        .containsOnly(calls.get(0).get("clientToken").asText());
    listed(before);
    assertThat(launcher.running()).as("ECS may have started them").isEqualTo(4);
    listed(before.minusSeconds(60), "old-0", "old-1", "old-2", "old-3");
    assertThat(launcher.running()).as("tasks older than the call are others").isEqualTo(8);
    listed(before, "new-0", "new-1", "new-2", "new-3");
    assertThat(launcher.running()).as("listed: they count once").isEqualTo(4);
    listed(before, "new-0", "new-1");
    assertThat(launcher.running()).as("the listing counts them now, alone").isEqualTo(2);
  }

  @Test
  void aRunTaskEcsRefusedCountsNothing() {
    EcsTaskLauncher launcher = new EcsTaskLauncher(ecs, SETTINGS);
    stub.server.stubFor(
        ecs("RunTask")
            .willReturn(
                jsonError(
                    400,
                    "AccessDeniedException",
                    "User is not authorized to perform: ecs:RunTask")));

    assertThat(launcher.launch(4).failures()).hasSize(4);

    assertThat(stub.ecsRequests("RunTask")).hasSize(1);
    listed(Instant.now());
    assertThat(launcher.running()).isZero();
  }

  @Test
  void aRefusalAfterAServerErrorStillCountsTheTasksTheFirstAttemptMayHaveStarted() {
    EcsTaskLauncher launcher = new EcsTaskLauncher(ecs, SETTINGS);
    stub.server.stubFor(
        ecs("RunTask")
            .inScenario("refused on retry")
            .whenScenarioStateIs("Started")
            .willReturn(jsonError(500, "ServerException", "Service unavailable"))
            .willSetStateTo("refused"));
    stub.server.stubFor(
        ecs("RunTask")
            .inScenario("refused on retry")
            .whenScenarioStateIs("refused")
            .willReturn(jsonError(400, "ClientException", "The task definition is inactive")));

    assertThat(launcher.launch(4).failures())
        .hasSize(4)
        .allSatisfy(f -> assertThat(f.reason()).isEqualTo("ClientException"));

    assertThat(stub.ecsRequests("RunTask")).hasSize(2);
    listed(Instant.now());
    assertThat(launcher.running()).isEqualTo(4);
  }

  @Test
  void runningCountsEveryPageOfListTasksForOurTagWithStartedByAsTheOnlyFilter() {
    List<String> firstPage = IntStream.range(0, 100).mapToObj(i -> arn("r" + i)).toList();
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.nextToken", absent()))
            .willReturn(json(Map.of("taskArns", firstPage, "nextToken", "page-2"))));
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.nextToken", equalTo("page-2")))
            .willReturn(json(Map.of("taskArns", List.of(arn("s1"), arn("s2"), arn("s3"))))));

    assertThat(launcher.running()).isEqualTo(103);

    List<JsonNode> bodies = stub.ecsBodies("ListTasks");
    assertThat(bodies).hasSize(2);
    for (JsonNode body : bodies) {
      assertThat(body.get("cluster").asText()).isEqualTo(CLUSTER);
      assertThat(body.get("startedBy").asText()).isEqualTo("surge");
      // ECS: "When you specify startedBy as the filter, it must be the only filter that you use";
      // desiredStatus is RUNNING by default.
      assertThat(body.has("desiredStatus")).as("desiredStatus beside startedBy").isFalse();
      assertThat(body.has("family")).isFalse();
      assertThat(body.has("launchType")).isFalse();
    }
    assertThat(bodies.get(0).has("nextToken")).isFalse();
    assertThat(bodies.get(1).get("nextToken").asText()).isEqualTo("page-2");
  }

  @Test
  void ourTasksAreDescribedAndMappedToViewsAndOthersStoppedTasksAreLeftOut() {
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.startedBy", equalTo("surge")))
            .willReturn(
                json(
                    Map.of(
                        "taskArns",
                        List.of(
                            arn("5c1d6ae4f4e94b8e9d7a3f1b2c3d4e5f"),
                            arn("36ad4ef947bb470b89010d864574237e"))))));
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("STOPPED")))
            .willReturn(
                json(
                    Map.of(
                        "taskArns",
                        List.of(
                            arn("0be27913512b49169d52914f6eb25854"),
                            arn("9f0e8d7c6b5a49382716a5b4c3d2e1f0"))))));
    stub.server.stubFor(
        ecs("DescribeTasks").willReturn(json(Fixtures.text("ecs/describe-tasks.json"))));

    List<TaskView> views = directory.tasks();

    assertThat(views)
        .containsExactly(
            new TaskView(
                "0be27913512b49169d52914f6eb25854",
                "10.0.2.17",
                TaskState.STOPPED,
                Instant.parse("2026-11-27T21:50:07.150Z"),
                Optional.of(Instant.parse("2026-11-27T21:55:12.500Z")),
                Optional.of(0),
                Optional.of("Essential container in task exited")),
            new TaskView(
                "5c1d6ae4f4e94b8e9d7a3f1b2c3d4e5f",
                "ip-10-0-1-184.ec2.internal",
                TaskState.RUNNING,
                Instant.parse("2026-11-27T21:50:07.250Z"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            new TaskView(
                "36ad4ef947bb470b89010d864574237e",
                "36ad4ef947bb470b89010d864574237e",
                TaskState.PROVISIONING,
                Instant.parse("2026-11-27T21:58:00Z"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    JsonNode describe = stub.ecsBodies("DescribeTasks").get(0);
    assertThat(describe.get("cluster").asText()).isEqualTo(CLUSTER);
    assertThat(describe.get("tasks")).hasSize(4);
    JsonNode stopped =
        stub.ecsBodies("ListTasks").stream()
            .filter(b -> b.has("desiredStatus"))
            .findFirst()
            .orElseThrow();
    assertThat(stopped.get("desiredStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.has("startedBy")).isFalse();
  }

  @Test
  void describeTasksIsCalledInChunksOfAHundred() {
    List<String> arns = IntStream.range(0, 150).mapToObj(i -> arn("t" + i)).toList();
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.startedBy", equalTo("surge")))
            .willReturn(json(Map.of("taskArns", arns))));
    stub.server.stubFor(
        ecs("ListTasks")
            .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("STOPPED")))
            .willReturn(json(Map.of("taskArns", List.of()))));
    stub.server.stubFor(
        ecs("DescribeTasks").willReturn(json(Map.of("tasks", List.of(), "failures", List.of()))));

    assertThat(directory.tasks()).isEmpty();

    assertThat(stub.ecsBodies("DescribeTasks"))
        .extracting(b -> b.get("tasks").size())
        .containsExactly(100, 50);
  }

  @Test
  void lastStatusMapsOntoThreeStates() {
    assertThat(EcsTaskDirectory.state("PROVISIONING")).isEqualTo(TaskState.PROVISIONING);
    assertThat(EcsTaskDirectory.state("PENDING")).isEqualTo(TaskState.PROVISIONING);
    assertThat(EcsTaskDirectory.state("RUNNING")).isEqualTo(TaskState.RUNNING);
    assertThat(EcsTaskDirectory.state("DEPROVISIONING")).isEqualTo(TaskState.RUNNING);
    assertThat(EcsTaskDirectory.state("STOPPED")).isEqualTo(TaskState.STOPPED);
  }
}
