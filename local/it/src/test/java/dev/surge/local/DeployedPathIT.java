package dev.surge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.Env;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.TaskDetails;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.producer.Producer;
import dev.surge.queue.QueueOptions;
import dev.surge.trigger.AwsWiring;
import dev.surge.trigger.TriggerReport;
import dev.surge.trigger.TriggerService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local function runs the deployed code path: the trigger the Lambda function builds from its
 * environment ({@link AwsWiring}), whose SDK clients reach the local cloud's one endpoint, so its
 * tasks come from ECS {@code RunTask} there and its fleet lease lives in the control table in the
 * DynamoDB stand-in.
 */
@Execution(ExecutionMode.CONCURRENT) // each test starts a local cloud of its own
class DeployedPathIT {
  @TempDir Path logs;

  private LocalCloudOptions fast() {
    return LocalCloudOptions.seed(0, 0, logs)
        .withAlarmPeriod(Duration.ofSeconds(1))
        .withQueue(new QueueOptions(Duration.ofSeconds(3), 5))
        .withTuning(
            WorkerTuning.defaults()
                .withConcurrency(1)
                .withPollWait(Duration.ofSeconds(1))
                .withIdleWindow(Duration.ofSeconds(2)));
  }

  @Test
  void aBurstMakesTheFunctionStartTasksWithRunTaskAtTheEndpointUnderItsLeaseInTheControlTable()
      throws Exception {
    EventLog events = new EventLog(100_000);
    try (LocalCloud cloud = LocalCloud.start(fast(), events, Clock.systemUTC())) {
      Map<String, String> env = cloud.functionEnvironment();
      assertThat(env)
          .containsEntry("AWS_ENDPOINT_URL", cloud.awsEndpoint().toString())
          .containsEntry(ControlSchema.TABLE, cloud.options().names().controlTable());
      ProcessTaskLauncher launcher = cloud.launcher();
      new Producer(cloud.sqs(), cloud.queues().url(), Backoff.standard())
          .produce(600, 4, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});

      // While the tasks run, the lease's item names each task the function started: the ARNs
      // that the endpoint's RunTask answered the SDK's launcher with.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Set<String> arns =
                    launcher.details().stream()
                        .map(d -> launcher.platform().taskArn(d.taskId()))
                        .collect(Collectors.toSet());
                return !arns.isEmpty() && launches(cloud).keySet().equals(arns);
              });
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  cloud.monitor().countItems() == 600
                      && cloud.monitor().sample().depth().empty()
                      && launcher.running() == 0);

      List<TaskDetails> tasks = launcher.details();
      assertThat(tasks)
          .isNotEmpty()
          .allSatisfy(
              t -> {
                assertThat(t.request().startedBy()).contains("surge");
                assertThat(t.definition().family()).isEqualTo(cloud.options().names().taskFamily());
                assertThat(t.definition().revision()).isEqualTo(1);
                assertThat(t.request().group()).isEqualTo("family:fasttrack-saa-td");
              });
      List<PipelineEvent.TriggerDecided> launched =
          events.events().stream()
              .map(EventLog.Sequenced::event)
              .filter(PipelineEvent.TriggerDecided.class::isInstance)
              .map(PipelineEvent.TriggerDecided.class::cast)
              .filter(d -> d.started() > 0)
              .toList();
      assertThat(launched.stream().mapToInt(PipelineEvent.TriggerDecided::started).sum())
          .as("every task was started by a decision the dashboard was told of")
          .isEqualTo(tasks.size());
      // Released after each decision: once the reconciler stops, the decision it may be running
      // (they go on every period, under the lease) ends and gives the lease back, well before
      // the lease's TTL (30 s) would free one that was never released.
      cloud.stopLaunching();
      Map<String, AttributeValue> item =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> leaseItem(cloud).orElseThrow(), i -> !i.containsKey("holder"));
      assertThat(item.get(ControlSchema.KEY).s()).isEqualTo("FastTrack-Saa-Sqs-demo/surge");
      assertThat(item).as("released after each decision").doesNotContainKey("holder");
    }
  }

  @Test
  void twoInstancesOfTheFunctionDecidingAtOnceStartTheFleetOnce() throws Exception {
    try (LocalCloud cloud = LocalCloud.start(fast(), new EventLog(10_000), Clock.systemUTC())) {
      // Only the two instances below decide: no alarm, no reconcile of the cloud's own.
      cloud.stopLaunching();
      new Producer(cloud.sqs(), cloud.queues().url(), Backoff.standard())
          .produce(50, 2, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
      List<AutoCloseable> clients = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        // Two execution environments of the function, as Lambda may run a notification and the
        // reconcile: each with its own clients and memory, sharing only the control table.
        List<TriggerService> instances =
            List.of(
                AwsWiring.service(new Env(cloud.functionEnvironment()), clients::add),
                AwsWiring.service(new Env(cloud.functionEnvironment()), clients::add));
        // Activation starts a task at the second sighting of a backlog with no task running:
        // each instance sees it once, then both decide at once.
        for (TriggerService instance : instances) {
          assertThat(instance.reconcile().started()).isEmpty();
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TriggerReport>> reports = new ArrayList<>();
        for (TriggerService instance : instances) {
          reports.add(
              pool.submit(
                  () -> {
                    go.await();
                    return instance.reconcile();
                  }));
        }
        go.countDown();
        int started = 0;
        List<String> decisions = new ArrayList<>();
        for (Future<TriggerReport> r : reports) {
          TriggerReport report = r.get(60, TimeUnit.SECONDS);
          started += report.started().size();
          decisions.add(report.summary());
        }

        // A backlog below the threshold with no task running wants one task (activation).
        assertThat(started).as("%s", decisions).isEqualTo(1);
        assertThat(cloud.launcher().details()).hasSize(1);
        assertThat(launches(cloud))
            .containsOnlyKeys(cloud.launcher().platform().taskArn("task-0001"));
      } finally {
        pool.shutdownNow();
        for (AutoCloseable c : clients) {
          c.close();
        }
        cloud.launcher().stopRunning();
      }
    }
  }

  private static Optional<Map<String, AttributeValue>> leaseItem(LocalCloud cloud) {
    List<Map<String, AttributeValue>> items =
        cloud
            .dynamodb()
            .scan(b -> b.tableName(cloud.options().names().controlTable()).consistentRead(true))
            .items();
    assertThat(items).as("one fleet, one item").hasSizeLessThanOrEqualTo(1);
    return items.stream().findFirst();
  }

  /** The lease item's launches: task ARN to when it was started. */
  private static Map<String, AttributeValue> launches(LocalCloud cloud) {
    return leaseItem(cloud)
        .map(i -> i.getOrDefault("launches", AttributeValue.fromM(Map.of())).m())
        .orElse(Map.of());
  }
}
