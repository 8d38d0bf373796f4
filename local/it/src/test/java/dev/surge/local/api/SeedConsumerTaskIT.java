package dev.surge.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskState;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.aws.PinnedPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * The proof that any task definition is a task: the seed's own consumer, a Python script in the
 * shape of its {@code pullFromSqsQueue.py} (one message per short poll, a {@code PutItem} with the
 * host name and the time, a {@code DeleteMessage}, exit when a receive finds nothing), registered
 * with the aws CLI as a new revision of the chain's family. A burst sent by a boto3 script then
 * goes through the chain as it always does (alarm, topic, function, {@code RunTask} of the family)
 * and the tasks that start are that revision's: they drain the queue into the table, every message
 * once, and stop by themselves with exit code 0.
 */
class SeedConsumerTaskIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceNames NAMES = ResourceNames.seed();
  private static final int MESSAGES = 300;

  private static Path logs;
  private static LocalCloud cloud;
  private static EcsClient ecs;
  private static CloudWatchLogsClient logsClient;
  private static AwsTools tools;

  @BeforeAll
  static void start() throws Exception {
    logs =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target").toAbsolutePath()), "seed-consumer-it");
    cloud =
        LocalCloud.start(
            LocalCloudOptions.seed(0, 0, logs)
                .withAlarmPeriod(Duration.ofSeconds(1))
                .withQueue(new QueueOptions(Duration.ofSeconds(10), 5)),
            new EventLog(10_000),
            Clock.systemUTC());
    AwsClients clients =
        new AwsClients(
            new AwsTarget("us-east-1", Map.of("", cloud.awsEndpoint()), true), 4, List.of());
    ecs = clients.build(EcsClient.builder(), "ECS");
    logsClient = clients.build(CloudWatchLogsClient.builder(), "LOGS");
    tools = new AwsTools(cloud.awsEndpoint(), logs);
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

  @Test
  void theSeedsPythonConsumerRegisteredAsTheFamilysNextRevisionDrainsABurstThroughTheChain()
      throws Exception {
    String consumer =
        Path.of("src", "test", "resources", "ecs", "pull_from_sqs_queue.py")
            .toAbsolutePath()
            .toString();
    String containers =
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "name",
                    NAMES.container(),
                    "image",
                    "fasttracksaa:pull-from-sqs-queue",
                    "entryPoint",
                    List.of(PinnedPython.interpreter().toString(), consumer),
                    "essential",
                    true,
                    "environment",
                    List.of(
                        Map.of("name", "QUEUE_NAME", "value", NAMES.queue()),
                        Map.of("name", "TABLE_NAME", "value", NAMES.table())),
                    "logConfiguration",
                    Map.of(
                        "logDriver",
                        "awslogs",
                        "options",
                        Map.of(
                            "awslogs-group", "/ecs/" + NAMES.taskFamily(),
                            "awslogs-region", "us-east-1",
                            "awslogs-stream-prefix", "seed")))));
    JsonNode registered =
        tools.aws(
            "ecs",
            "register-task-definition",
            "--family",
            NAMES.taskFamily(),
            "--requires-compatibilities",
            "FARGATE",
            "--network-mode",
            "awsvpc",
            "--cpu",
            "256",
            "--memory",
            "512",
            "--container-definitions",
            containers);
    String revision2 = registered.at("/taskDefinition/taskDefinitionArn").asText();
    assertThat(revision2)
        .isEqualTo(
            "arn:aws:ecs:us-east-1:000000000000:task-definition/" + NAMES.taskFamily() + ":2");
    assertThat(cloud.launcher().tasks()).isEmpty();

    AwsTools.Run sent =
        tools.python("ecs/send_burst.py", NAMES.queue(), Integer.toString(MESSAGES));
    assertThat(sent.exit()).as(sent.err()).isZero();
    JsonNode burst = JSON.readTree(sent.out());
    Set<String> bodies = new HashSet<>();
    burst.get("bodies").forEach(b -> bodies.add(b.asText()));
    assertThat(bodies).hasSize(MESSAGES);

    // The chain starts tasks and they drain the queue, then stop by themselves.
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                cloud.monitor().countItems() == MESSAGES
                    && !cloud.launcher().tasks().isEmpty()
                    && cloud.launcher().tasks().stream()
                        .allMatch(t -> t.state() == TaskState.STOPPED));

    List<String> arns =
        ecs.listTasks(
                b ->
                    b.cluster(NAMES.cluster())
                        .family(NAMES.taskFamily())
                        .desiredStatus(DesiredStatus.STOPPED))
            .taskArns();
    assertThat(arns).hasSize(cloud.launcher().tasks().size());
    List<Task> tasks = ecs.describeTasks(b -> b.cluster(NAMES.cluster()).tasks(arns)).tasks();
    for (Task t : tasks) {
      assertThat(t.taskDefinitionArn()).as(t.taskArn()).isEqualTo(revision2);
      assertThat(t.startedBy()).isEqualTo("surge"); // the chain's function
      assertThat(t.lastStatus()).isEqualTo("STOPPED");
      assertThat(t.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
      assertThat(t.containers().get(0).exitCode()).as(t.taskArn()).isZero();
      assertThat(t.containers().get(0).image()).isEqualTo("fasttracksaa:pull-from-sqs-queue");
    }
    // The function's decision that launched them, in its log.
    assertThat(
            logsClient
                .filterLogEvents(
                    b ->
                        b.logGroupName("/aws/lambda/" + NAMES.function())
                            .filterPattern("\"SURGE_TRIGGER_DECISION\" launched"))
                .events())
        .isNotEmpty();

    // Every message once in the table, with the consumer's host name and time.
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    cloud
        .dynamodb()
        .scanPaginator(b -> b.tableName(NAMES.table()))
        .forEach(page -> items.addAll(page.items()));
    assertThat(items).hasSize(MESSAGES);
    assertThat(items.stream().map(i -> i.get("queueMessage").s()).toList())
        .containsExactlyInAnyOrderElementsOf(bodies);
    assertThat(items)
        .allSatisfy(
            i -> {
              assertThat(i.get("host").s()).isEqualTo(burst.get("host").asText());
              assertThat(i.get("timestamp").s()).contains("T");
            });
    assertThat(cloud.monitor().sample().depth().empty()).isTrue();

    // Each task's output, in its awslogs stream: what it processed, and why it exited.
    long processed = 0;
    for (Task t : tasks) {
      String id = t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1);
      List<String> lines =
          logsClient
              .getLogEvents(
                  b ->
                      b.logGroupName("/ecs/" + NAMES.taskFamily())
                          .logStreamName("seed/" + NAMES.container() + "/" + id)
                          .startFromHead(true))
              .events()
              .stream()
              .map(OutputLogEvent::message)
              .toList();
      assertThat(lines.get(lines.size() - 1)).startsWith("no messages left after ");
      processed += lines.stream().filter(l -> l.startsWith("processed ")).count();
    }
    assertThat(processed).isEqualTo(MESSAGES);
  }
}
