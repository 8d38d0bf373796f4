package dev.surge.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.local.tasks.TaskDetails;
import dev.surge.local.tasks.TaskStatus;
import dev.surge.standins.aws.PinnedPython;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * ECS's writes at the one AWS endpoint, from the Java SDK v2 and the aws CLI: task definitions of
 * the user's registered as revisions of their family, run as processes of this machine with their
 * environment, overrides, the local cloud's endpoint and a task metadata endpoint v4, and stopped
 * as ECS stops a task (SIGTERM, then SIGKILL after the container's stop timeout); {@code RunTask}'s
 * idempotency by client token, and the errors ECS gives. The tasks are real processes: Python
 * scripts that sleep, or read their metadata and the local cloud's STS.
 */
@Execution(ExecutionMode.SAME_THREAD) // the tests share one cloud's task capacity
class EcsWritesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceNames NAMES = ResourceNames.seed();
  private static final Path SCRIPTS = Path.of("src", "test", "resources", "ecs").toAbsolutePath();

  private static Path logs;
  private static LocalCloud cloud;
  private static URI endpoint;
  private static AwsClients clients;
  private static EcsClient ecs;
  private static CloudWatchLogsClient logsClient;
  private static AwsTools tools;

  @BeforeAll
  static void start() throws Exception {
    logs =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target").toAbsolutePath()), "ecs-writes-it");
    cloud =
        LocalCloud.start(
            LocalCloudOptions.seed(0, 0, logs), new EventLog(10_000), Clock.systemUTC());
    endpoint = cloud.awsEndpoint();
    clients = new AwsClients(new AwsTarget("us-east-1", Map.of("", endpoint), true), 4, List.of());
    ecs = clients.build(EcsClient.builder(), "ECS");
    logsClient = clients.build(CloudWatchLogsClient.builder(), "LOGS");
    tools = new AwsTools(endpoint, logs);
  }

  @AfterAll
  static void stop() {
    if (tools != null) {
      tools.close();
    }
    if (ecs != null) {
      ecs.close();
      logsClient.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private static String python() {
    return PinnedPython.interpreter().toString();
  }

  private static String script(String name) {
    return SCRIPTS.resolve(name).toString();
  }

  /** A container running {@code script} with {@code args}, as its entry point and command. */
  private static ContainerDefinition.Builder pythonContainer(
      String name, String script, String... args) {
    return ContainerDefinition.builder()
        .name(name)
        .image("ecs-it/" + name + ":1")
        .entryPoint(python(), script(script))
        .command(args)
        .essential(true);
  }

  private static TaskDefinition register(String family, ContainerDefinition container) {
    return ecs.registerTaskDefinition(
            b ->
                b.family(family)
                    .networkMode(NetworkMode.AWSVPC)
                    .requiresCompatibilities(Compatibility.FARGATE)
                    .cpu("256")
                    .memory("512")
                    .containerDefinitions(container))
        .taskDefinition();
  }

  private static Task describe(String taskArn) {
    return ecs.describeTasks(b -> b.cluster(NAMES.cluster()).tasks(taskArn)).tasks().get(0);
  }

  private static Task awaitStopped(String taskArn, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> describe(taskArn).lastStatus().equals("STOPPED"));
    return describe(taskArn);
  }

  private static String id(String taskArn) {
    return taskArn.substring(taskArn.lastIndexOf('/') + 1);
  }

  private static String errorCode(Throwable e) {
    return ((software.amazon.awssdk.awscore.exception.AwsServiceException) e)
        .awsErrorDetails()
        .errorCode();
  }

  @Test
  void theJavaSdkRegistersADefinitionAndRunsItsContainerWithItsEnvironmentAndMetadata()
      throws Exception {
    String family = "ecs-it-metadata";
    ContainerDefinition container =
        pythonContainer("probe", "metadata_task.py", "from-definition")
            .environment(
                KeyValuePair.builder().name("GREETING").value("hello").build(),
                KeyValuePair.builder().name("MODE").value("definition").build())
            .stopTimeout(5)
            .logConfiguration(
                b ->
                    b.logDriver(LogDriver.AWSLOGS)
                        .options(
                            Map.of(
                                "awslogs-group", "/ecs/" + family,
                                "awslogs-region", "us-east-1",
                                "awslogs-stream-prefix", "ecs")))
            .build();
    TaskDefinition first = register(family, container);
    assertThat(first.revision()).isEqualTo(1);
    assertThat(first.taskDefinitionArn())
        .isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/" + family + ":1");
    assertThat(first.statusAsString()).isEqualTo("ACTIVE");
    assertThat(first.cpu()).isEqualTo("256");
    assertThat(first.containerDefinitions().get(0).entryPoint())
        .containsExactly(python(), script("metadata_task.py"));
    assertThat(first.containerDefinitions().get(0).environment())
        .extracting(KeyValuePair::name)
        .containsExactly("GREETING", "MODE");
    TaskDefinition second = register(family, container);
    assertThat(second.revision()).isEqualTo(2);
    assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition(family)).taskDefinition())
        .isEqualTo(second);
    assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix(family)).taskDefinitionArns())
        .containsExactly(first.taskDefinitionArn(), second.taskDefinitionArn());
    assertThat(ecs.listTaskDefinitions().taskDefinitionArns())
        .contains(
            "arn:aws:ecs:us-east-1:000000000000:task-definition/" + NAMES.taskFamily() + ":1",
            second.taskDefinitionArn());

    // The bare family runs its latest revision, with the overrides.
    RunTaskResponse ran =
        ecs.runTask(
            b ->
                b.cluster(NAMES.cluster())
                    .taskDefinition(family)
                    .startedBy("ecs-it")
                    .overrides(
                        o ->
                            o.containerOverrides(
                                ContainerOverride.builder()
                                    .name("probe")
                                    .command("from-override")
                                    .environment(
                                        KeyValuePair.builder()
                                            .name("MODE")
                                            .value("override")
                                            .build())
                                    .build())));
    assertThat(ran.failures()).isEmpty();
    Task task = ran.tasks().get(0);
    assertThat(task.taskDefinitionArn()).isEqualTo(second.taskDefinitionArn());
    assertThat(task.lastStatus()).isIn("PROVISIONING", "PENDING", "RUNNING");
    assertThat(task.desiredStatus()).isEqualTo("RUNNING");
    assertThat(task.startedBy()).isEqualTo("ecs-it");
    assertThat(task.group()).isEqualTo("family:" + family);
    assertThat(task.overrides().containerOverrides().get(0).command())
        .containsExactly("from-override");

    Task done = awaitStopped(task.taskArn(), Duration.ofSeconds(60));
    assertThat(done.containers().get(0).exitCode()).isZero();
    assertThat(done.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
    assertThat(done.stoppedReason()).isEqualTo("Essential container in task exited");
    assertThat(done.desiredStatus()).isEqualTo("STOPPED");
    assertThat(done.containers().get(0).name()).isEqualTo("probe");
    assertThat(done.containers().get(0).image()).isEqualTo("ecs-it/probe:1");
    assertThat(done.createdAt()).isBeforeOrEqualTo(done.startedAt());
    assertThat(done.startedAt()).isBeforeOrEqualTo(done.executionStoppedAt());
    assertThat(done.executionStoppedAt()).isBeforeOrEqualTo(done.stoppedAt());
    assertThat(
            ecs.listTasks(
                    b ->
                        b.cluster(NAMES.cluster())
                            .family(family)
                            .desiredStatus(DesiredStatus.STOPPED))
                .taskArns())
        .containsExactly(task.taskArn());

    // What the task printed, read back from its awslogs group and stream.
    List<String> lines =
        logsClient
            .getLogEvents(
                b ->
                    b.logGroupName("/ecs/" + family)
                        .logStreamName("ecs/probe/" + id(task.taskArn()))
                        .startFromHead(true))
            .events()
            .stream()
            .map(OutputLogEvent::message)
            .toList();
    JsonNode containerMetadata = JSON.readTree(line(lines, "CONTAINER "));
    assertThat(containerMetadata.get("Name").asText()).isEqualTo("probe");
    assertThat(containerMetadata.get("Image").asText()).isEqualTo("ecs-it/probe:1");
    assertThat(containerMetadata.get("KnownStatus").asText()).isEqualTo("RUNNING");
    assertThat(containerMetadata.get("Type").asText()).isEqualTo("NORMAL");
    assertThat(containerMetadata.at("/Labels/com.amazonaws.ecs.task-arn").asText())
        .isEqualTo(task.taskArn());
    assertThat(containerMetadata.at("/Labels/com.amazonaws.ecs.task-definition-version").asText())
        .isEqualTo("2");
    assertThat(containerMetadata.at("/LogOptions/awslogs-stream").asText())
        .isEqualTo("ecs/probe/" + id(task.taskArn()));
    JsonNode taskMetadata = JSON.readTree(line(lines, "TASK "));
    assertThat(taskMetadata.get("Cluster").asText())
        .isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/" + NAMES.cluster());
    assertThat(taskMetadata.get("TaskARN").asText()).isEqualTo(task.taskArn());
    assertThat(taskMetadata.get("Family").asText()).isEqualTo(family);
    assertThat(taskMetadata.get("Revision").asText()).isEqualTo("2");
    assertThat(taskMetadata.get("DesiredStatus").asText()).isEqualTo("RUNNING");
    assertThat(taskMetadata.get("KnownStatus").asText()).isEqualTo("RUNNING");
    assertThat(taskMetadata.get("LaunchType").asText()).isEqualTo("FARGATE");
    assertThat(taskMetadata.get("AvailabilityZone").asText()).isEqualTo("us-east-1a");
    assertThat(taskMetadata.at("/Limits/CPU").asDouble()).isEqualTo(0.25);
    assertThat(taskMetadata.at("/Limits/Memory").asInt()).isEqualTo(512);
    assertThat(taskMetadata.at("/Containers/0/Name").asText()).isEqualTo("probe");
    JsonNode env = JSON.readTree(line(lines, "ENV "));
    assertThat(env.get("AWS_ENDPOINT_URL").asText()).isEqualTo(endpoint.toString());
    assertThat(env.get("AWS_REGION").asText()).isEqualTo("us-east-1");
    assertThat(env.get("AWS_DEFAULT_REGION").asText()).isEqualTo("us-east-1");
    assertThat(env.get("AWS_ACCESS_KEY_ID").asText()).isEqualTo("surge-local");
    assertThat(env.get("GREETING").asText()).isEqualTo("hello");
    assertThat(env.get("MODE").asText()).isEqualTo("override");
    assertThat(line(lines, "ARGS ")).isEqualTo("[\"from-override\"]");
    assertThat(line(lines, "ACCOUNT ")).isEqualTo("000000000000");

    // The metadata endpoint after the task stopped, and what it refuses.
    URI metadata = URI.create(line(lines, "METADATA_URI "));
    assertThat(metadata.getHost()).isEqualTo("127.0.0.1");
    String host = "Host: 127.0.0.1:" + metadata.getPort() + "\r\n";
    String after = raw(metadata, "GET", metadata.getPath() + "/task", host);
    assertThat(after).startsWith("HTTP/1.1 200");
    JsonNode stopped = JSON.readTree(after.substring(after.indexOf("\r\n\r\n") + 4));
    assertThat(stopped.get("KnownStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.get("DesiredStatus").asText()).isEqualTo("STOPPED");
    assertThat(stopped.at("/Containers/0/ExitCode").asInt(-1)).isZero();
    for (String page :
        List.of(
            host + "Origin: http://evil.example\r\n",
            host + "Sec-Fetch-Site: cross-site\r\n",
            "Host: rebind.attacker.example:" + metadata.getPort() + "\r\n")) {
      String refused = raw(metadata, "GET", metadata.getPath() + "/task", page);
      assertThat(refused).as(page).startsWith("HTTP/1.1 403").doesNotContain(task.taskArn());
      assertThat(refused.toLowerCase(Locale.ROOT)).doesNotContain("access-control-allow");
    }
    assertThat(
            raw(
                metadata,
                "OPTIONS",
                metadata.getPath(),
                host + "Origin: http://evil.example\r\nAccess-Control-Request-Method: GET\r\n"))
        .startsWith("HTTP/1.1 403");
    assertThat(raw(metadata, "POST", metadata.getPath(), host)).startsWith("HTTP/1.1 405");
    assertThat(raw(metadata, "GET", "/v4/no-such-task/task", host)).startsWith("HTTP/1.1 404");
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines))
        .substring(prefix.length());
  }

  private static String raw(URI at, String method, String path, String headers) throws Exception {
    try (Socket s = new Socket(at.getHost(), at.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void runTaskIsIdempotentByClientTokenAndRefusesWhatEcsRefuses() {
    String family = "ecs-it-sleeper";
    register(family, pythonContainer("sleeper", "sleeper.py").stopTimeout(10).build());
    int before = cloud.launcher().tasks().size();

    RunTaskResponse first =
        ecs.runTask(
            b ->
                b.cluster(NAMES.cluster())
                    .taskDefinition(family + ":1")
                    .count(2)
                    .startedBy("ecs-it-sleepers")
                    .clientToken("ecs-it-token-1"));
    assertThat(first.tasks()).hasSize(2);
    // Listed by who started them while they run (ListTasks' desiredStatus is RUNNING by default).
    assertThat(
            ecs.listTasks(b -> b.cluster(NAMES.cluster()).startedBy("ecs-it-sleepers")).taskArns())
        .containsExactlyElementsOf(first.tasks().stream().map(Task::taskArn).toList());
    RunTaskResponse again =
        ecs.runTask(
            b ->
                b.cluster(NAMES.cluster())
                    .taskDefinition(family + ":1")
                    .count(2)
                    .startedBy("ecs-it-sleepers")
                    .clientToken("ecs-it-token-1"));
    assertThat(again.tasks())
        .extracting(Task::taskArn)
        .containsExactlyElementsOf(first.tasks().stream().map(Task::taskArn).toList());
    assertThat(cloud.launcher().tasks()).hasSize(before + 2);
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    b ->
                        b.cluster(NAMES.cluster())
                            .taskDefinition(family + ":1")
                            .count(1)
                            .startedBy("ecs-it-sleepers")
                            .clientToken("ecs-it-token-1")))
        .isInstanceOf(ConflictException.class);

    // What ECS refuses, and nothing starts.
    assertThatThrownBy(
            () -> ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(family).count(11)))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("count must be between 1 and 10");
    assertThatThrownBy(
            () -> ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(family).count(0)))
        .isInstanceOf(InvalidParameterException.class);
    for (String unknown :
        List.of(
            "no-such-family",
            family + ":9",
            "arn:aws:ecs:us-east-1:000000000000:task-definition/no-such-family:1")) {
      assertThatThrownBy(() -> ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(unknown)))
          .as(unknown)
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("TaskDefinition not found.");
    }
    assertThatThrownBy(() -> ecs.describeTaskDefinition(b -> b.taskDefinition("no-such-family")))
        .isInstanceOf(ClientException.class);
    assertThatThrownBy(() -> ecs.runTask(b -> b.cluster("another").taskDefinition(family)))
        .isInstanceOf(ClusterNotFoundException.class);
    assertThatThrownBy(() -> ecs.runTask(b -> b.taskDefinition(family)))
        .as("the default cluster, which the local cloud does not have")
        .isInstanceOf(ClusterNotFoundException.class);
    assertThatThrownBy(
            () ->
                ecs.runTask(
                    b ->
                        b.cluster(NAMES.cluster())
                            .taskDefinition(family)
                            .overrides(
                                o ->
                                    o.containerOverrides(
                                        ContainerOverride.builder().name("other").build()))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("Override for container named other");
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    b ->
                        b.family(family)
                            .containerDefinitions(
                                ContainerDefinition.builder().name("no-image").build())))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("image");
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    b ->
                        b.family(family)
                            .requiresCompatibilities(Compatibility.FARGATE)
                            .networkMode(NetworkMode.AWSVPC)
                            .containerDefinitions(
                                ContainerDefinition.builder().name("c").image("i").build())))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("Fargate requires that 'cpu' be defined at the task level.");
    assertThatThrownBy(
            () ->
                ecs.registerTaskDefinition(
                    b ->
                        b.family("bad family")
                            .containerDefinitions(
                                ContainerDefinition.builder().name("c").image("i").build())))
        .isInstanceOf(ClientException.class);
    assertThat(cloud.launcher().tasks()).hasSize(before + 2);
    assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix(family)).taskDefinitionArns())
        .hasSize(1);

    // Stopped by StopTask: SIGTERM ends them at once.
    for (Task t : first.tasks()) {
      Task stopping =
          ecs.stopTask(b -> b.cluster(NAMES.cluster()).task(t.taskArn()).reason("test over"))
              .task();
      assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
      assertThat(stopping.stoppingAt()).isNotNull();
    }
    for (Task t : first.tasks()) {
      Task done = awaitStopped(t.taskArn(), Duration.ofSeconds(8));
      assertThat(done.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
      assertThat(done.stoppedReason()).isEqualTo("test over");
      assertThat(done.containers().get(0).exitCode()).isEqualTo(143); // SIGTERM
    }
    assertThat(
            ecs.listTasks(b -> b.cluster(NAMES.cluster()).startedBy("ecs-it-sleepers")).taskArns())
        .isEmpty();
    assertThatThrownBy(() -> ecs.stopTask(b -> b.cluster(NAMES.cluster()).task("task-9999")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("The referenced task was not found.");
  }

  @Test
  void stopTaskSendsSigtermThenSigkillOnceTheStopTimeoutHasPassed() {
    String family = "ecs-it-stubborn";
    register(
        family, pythonContainer("stubborn", "sleeper.py", "ignore-term").stopTimeout(3).build());
    Task task = ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(family)).tasks().get(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.exists(cloud.launcher().logFile(id(task.taskArn())))
                    && Files.readString(cloud.launcher().logFile(id(task.taskArn())))
                        .contains("sleeping"));
    assertThat(describe(task.taskArn()).lastStatus()).isEqualTo("RUNNING");

    Instant asked = Instant.now();
    Task stopping =
        ecs.stopTask(b -> b.cluster(NAMES.cluster()).task(task.taskArn()).reason("enough")).task();
    assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
    assertThat(stopping.lastStatus()).isEqualTo("RUNNING");
    // It ignores SIGTERM: still running a while after, then killed once 3 s have passed.
    List<String> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              String s = describe(task.taskArn()).lastStatus();
              if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
              }
              return s.equals("STOPPED");
            });
    Task done = describe(task.taskArn());
    assertThat(Duration.between(asked, done.stoppedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(done.containers().get(0).exitCode()).isEqualTo(137); // SIGKILL
    assertThat(done.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
    assertThat(done.stoppedReason()).isEqualTo("enough");
    assertThat(done.stoppingAt()).isBeforeOrEqualTo(done.executionStoppedAt());
    assertThat(seen.get(0)).isEqualTo("RUNNING");
    assertThat(List.of("RUNNING", "DEPROVISIONING", "STOPPED")).containsSubsequence(seen);
    TaskDetails details = cloud.launcher().details(id(task.taskArn())).orElseThrow();
    assertThat(details.history())
        .extracting(TaskDetails.StatusChange::status)
        .containsExactly(
            TaskStatus.PROVISIONING,
            TaskStatus.PENDING,
            TaskStatus.RUNNING,
            TaskStatus.DEPROVISIONING,
            TaskStatus.STOPPED);
    assertThat(cloud.launcher().process(id(task.taskArn())))
        .hasValueSatisfying(p -> assertThat(p.isAlive()).isFalse());
    // Stopping a stopped task leaves it as it is.
    assertThat(
            ecs.stopTask(b -> b.cluster(NAMES.cluster()).task(task.taskArn()).reason("again"))
                .task()
                .stoppedReason())
        .isEqualTo("enough");
  }

  @Test
  void aTaskWhoseProgramCannotStartIsAFailureAndStopsWithTaskFailedToStart() {
    String family = "ecs-it-missing";
    register(
        family,
        ContainerDefinition.builder()
            .name("missing")
            .image("ecs-it/missing:1")
            .entryPoint(logs.resolve("no-such-program").toString())
            .build());
    RunTaskResponse ran = ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(family));
    assertThat(ran.tasks()).isEmpty();
    Failure f = ran.failures().get(0);
    assertThat(f.reason()).isEqualTo("TaskFailedToStart");
    assertThat(f.detail()).startsWith("CannotStartContainerError: ").contains("no-such-program");
    Task task = describe(f.arn());
    assertThat(task.lastStatus()).isEqualTo("STOPPED");
    assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
    assertThat(task.stoppedReason()).isEqualTo(f.detail());
    assertThat(task.containers().get(0).exitCode()).isNull();
    assertThat(task.containers().get(0).reason()).isEqualTo(f.detail());
  }

  @Test
  void theAwsCliRegistersRunsDescribesAndStopsATask() throws Exception {
    String family = "ecs-it-cli";
    String containers =
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "name",
                    "cli",
                    "image",
                    "ecs-it/cli:1",
                    "entryPoint",
                    List.of(python(), script("sleeper.py")),
                    "essential",
                    true,
                    "stopTimeout",
                    5,
                    "environment",
                    List.of(Map.of("name", "MODE", "value", "cli")))));
    JsonNode registered =
        tools.aws(
            "ecs",
            "register-task-definition",
            "--family",
            family,
            "--network-mode",
            "awsvpc",
            "--requires-compatibilities",
            "FARGATE",
            "--cpu",
            "0.5 vCPU",
            "--memory",
            "1 GB",
            "--container-definitions",
            containers);
    assertThat(registered.at("/taskDefinition/revision").asInt()).isEqualTo(1);
    assertThat(registered.at("/taskDefinition/cpu").asText()).isEqualTo("512");
    assertThat(registered.at("/taskDefinition/memory").asText()).isEqualTo("1024");
    assertThat(registered.at("/taskDefinition/containerDefinitions/0/stopTimeout").asInt())
        .isEqualTo(5);

    JsonNode ran =
        tools.aws(
            "ecs",
            "run-task",
            "--cluster",
            NAMES.cluster(),
            "--task-definition",
            family,
            "--launch-type",
            "FARGATE",
            "--started-by",
            "cli-user");
    assertThat(ran.get("failures")).isEmpty();
    String arn = ran.at("/tasks/0/taskArn").asText();
    assertThat(arn).startsWith("arn:aws:ecs:us-east-1:000000000000:task/" + NAMES.cluster() + "/");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                tools
                    .aws("ecs", "describe-tasks", "--cluster", NAMES.cluster(), "--tasks", arn)
                    .at("/tasks/0/lastStatus")
                    .asText()
                    .equals("RUNNING"));
    JsonNode stopping =
        tools.aws(
            "ecs",
            "stop-task",
            "--cluster",
            NAMES.cluster(),
            "--task",
            arn,
            "--reason",
            "stopped from the aws CLI");
    assertThat(stopping.at("/task/desiredStatus").asText()).isEqualTo("STOPPED");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                tools
                    .aws("ecs", "describe-tasks", "--cluster", NAMES.cluster(), "--tasks", arn)
                    .at("/tasks/0/lastStatus")
                    .asText()
                    .equals("STOPPED"));
    JsonNode done =
        tools.aws("ecs", "describe-tasks", "--cluster", NAMES.cluster(), "--tasks", arn);
    assertThat(done.at("/tasks/0/stopCode").asText()).isEqualTo("UserInitiated");
    assertThat(done.at("/tasks/0/stoppedReason").asText()).isEqualTo("stopped from the aws CLI");
    assertThat(done.at("/tasks/0/containers/0/exitCode").asInt()).isEqualTo(143);
    assertThat(done.at("/tasks/0/startedBy").asText()).isEqualTo("cli-user");

    assertThat(
            tools.awsFails(
                "ecs",
                "run-task",
                "--cluster",
                NAMES.cluster(),
                "--task-definition",
                family,
                "--count",
                "11"))
        .contains("InvalidParameterException")
        .contains("count must be between 1 and 10");
    assertThat(
            tools.awsFails(
                "ecs", "run-task", "--cluster", NAMES.cluster(), "--task-definition", "nope"))
        .contains("InvalidParameterException")
        .contains("TaskDefinition not found.");
  }
}
