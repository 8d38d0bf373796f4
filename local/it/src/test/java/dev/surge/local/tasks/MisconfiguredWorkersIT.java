package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.aws.AwsClients;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import dev.surge.core.worker.WorkerSettings;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.queue.QueueOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;

/**
 * Workers on resources they cannot work with exit 2 at start-up, and the local cloud's function,
 * which runs the deployed path (the task history is ECS's, read at the local endpoint), then holds
 * launches back instead of starting the same failure every period. The workers are the chain's
 * family's revision 2, registered at the endpoint: Surge's worker pointed at a table with another
 * key, or at a queue without a redrive policy.
 */
class MisconfiguredWorkersIT {
  @TempDir Path logs;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a table with another key", "a queue without a redrive policy"})
  void threeTasksThatExitTwoHoldFurtherLaunchesBackAndNoMessageIsTouched(String fault)
      throws Exception {
    EventLog events = new EventLog(10_000);
    LocalCloudOptions options =
        LocalCloudOptions.seed(0, 0, logs)
            .withAlarmPeriod(Duration.ofSeconds(1))
            .withQueue(new QueueOptions(Duration.ofSeconds(3), 5))
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(1)
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(Duration.ofSeconds(2)));
    try (LocalCloud cloud = LocalCloud.start(options, events, Clock.systemUTC());
        EcsClient ecs =
            new AwsClients(cloud.target(), 2, List.of()).build(EcsClient.builder(), "ECS")) {
      Map<String, String> env = new TreeMap<>(cloud.launcher().environment());
      // A task of a registered definition has no standard input to watch.
      env.remove(TaskEnvironment.STOP_ON_STDIN_EOF);
      if (fault.contains("table")) {
        String table = "misconfigured-other";
        cloud
            .dynamodb()
            .createTable(
                b ->
                    b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                            AttributeDefinition.builder()
                                .attributeName("id")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(
                            KeySchemaElement.builder()
                                .attributeName("id")
                                .keyType(KeyType.HASH)
                                .build()));
        env.put(WorkerSettings.TABLE, table);
      } else {
        String plain = cloud.sqs().createQueue(b -> b.queueName("misconfigured-plain")).queueUrl();
        env.put(WorkerSettings.QUEUE, plain);
      }
      String family = cloud.options().names().taskFamily();
      ecs.registerTaskDefinition(
          b ->
              b.family(family)
                  .containerDefinitions(
                      ContainerDefinition.builder()
                          .name(cloud.options().names().container())
                          .image("fasttracksaa:misconfigured")
                          .essential(true)
                          .entryPoint(WorkerCommand.current().command())
                          .environment(
                              env.entrySet().stream()
                                  .map(
                                      e ->
                                          KeyValuePair.builder()
                                              .name(e.getKey())
                                              .value(e.getValue())
                                              .build())
                                  .toList())
                          .build()));
      String url = cloud.queues().url();
      for (int i = 0; i < 20; i++) {
        String body = Integer.toString(100_000_000 + i);
        cloud.sqs().sendMessage(b -> b.queueUrl(url).messageBody(body));
      }
      ProcessTaskLauncher launcher = cloud.launcher();

      // 20 messages, below the alarm's threshold: the reconcile starts one task at a time
      // (activation), each once the last has exited.
      await().atMost(Duration.ofSeconds(180)).until(() -> !held(events).isEmpty());

      assertThat(held(events).get(0).note())
          .contains("the last 3 tasks could not run")
          .contains("exit 2, bad configuration");
      List<TaskDetails> tasks = launcher.details();
      assertThat(tasks).hasSize(3);
      for (TaskDetails t : tasks) {
        assertThat(t.definition().revision()).as(t.taskId()).isEqualTo(2);
        assertThat(t.view().state()).as(t.taskId()).isEqualTo(TaskState.STOPPED);
        assertThat(t.view().exitCode())
            .as(Files.readString(launcher.logFile(t.taskId())))
            .contains(2);
      }
      // The reconcile goes on deciding every period: still held.
      int decided = held(events).size();
      await().atMost(Duration.ofSeconds(30)).until(() -> held(events).size() >= decided + 2);
      assertThat(launcher.details()).as("no fourth task").hasSize(3);
      assertThat(new SqsBacklogProbe(cloud.sqs(), url).depth().backlog())
          .as("every message still in the queue")
          .isEqualTo(20);
    }
  }

  /** The function's decisions that held launches back. */
  private static List<PipelineEvent.TriggerDecided> held(EventLog events) {
    return events.events().stream()
        .map(EventLog.Sequenced::event)
        .filter(PipelineEvent.TriggerDecided.class::isInstance)
        .map(PipelineEvent.TriggerDecided.class::cast)
        .filter(d -> d.action().equalsIgnoreCase("held"))
        .toList();
  }
}
