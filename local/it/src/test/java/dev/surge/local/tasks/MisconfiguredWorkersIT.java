package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import dev.surge.trigger.TriggerReport;
import dev.surge.trigger.TriggerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Workers started by the local launcher on resources they cannot work with exit 2 at start-up, and
 * the function, wired as the local cloud wires it (the launcher is its task history), then holds
 * launches back instead of starting the same failure every period.
 */
@ExtendWith(StandInsExtension.class)
class MisconfiguredWorkersIT {
  private static StandIns standIns;

  @TempDir Path logs;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a table with another key", "a queue without a redrive policy"})
  void threeTasksThatExitTwoHoldFurtherLaunchesBackAndNoMessageIsTouched(String fault)
      throws Exception {
    try (Resources r = new Resources(standIns, "misconfigured")) {
      String queue = r.name;
      String table = r.name;
      if (fault.contains("table")) {
        table = r.name + "-other";
        String name = table;
        r.dynamodb.createTable(
            b ->
                b.tableName(name)
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
      } else {
        queue = r.name + "-plain";
        String name = queue;
        r.sqs.createQueue(b -> b.queueName(name));
      }
      String queueName = queue;
      String url = r.sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
      for (int i = 0; i < 20; i++) {
        String body = Integer.toString(100_000_000 + i);
        r.sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
      }
      LauncherSettings settings =
          LauncherSettings.of(r.target, queue, table, 3, logs)
              .withTuning(
                  WorkerTuning.defaults()
                      .withConcurrency(1)
                      .withPollWait(Duration.ofSeconds(1))
                      .withIdleWindow(Duration.ofSeconds(2)));
      try (ProcessTaskLauncher launcher =
          new ProcessTaskLauncher(
              settings, WorkerCommand.current(), Clock.systemUTC(), new EventLog(1_000))) {
        TriggerService function =
            new TriggerService(
                new TriggerSettings(url, "alarm", new ScalingPolicy.Fixed(3)),
                new SqsBacklogProbe(r.sqs, url),
                launcher,
                () -> AlarmState.ALARM,
                Optional.of(launcher),
                Clock.systemUTC());

        assertThat(function.reconcile().started()).hasSize(3);
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> launcher.tasks().stream().allMatch(t -> t.state() == TaskState.STOPPED));
        for (TaskView t : launcher.tasks()) {
          assertThat(t.exitCode()).as(Files.readString(launcher.logFile(t.taskId()))).contains(2);
        }

        TriggerReport held = function.reconcile();

        assertThat(held.action()).as(held.reason()).isEqualTo(TriggerReport.Action.HELD);
        assertThat(held.reason())
            .contains("the last 3 tasks could not run")
            .contains("exit 2, bad configuration");
        assertThat(launcher.tasks()).as("no fourth task").hasSize(3);
        assertThat(new SqsBacklogProbe(r.sqs, url).depth().backlog())
            .as("every message still in the queue")
            .isEqualTo(20);
      }
    }
  }
}
