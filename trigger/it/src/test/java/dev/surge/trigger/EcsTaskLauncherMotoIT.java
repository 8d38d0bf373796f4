package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskView;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.standins.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/**
 * The ECS adapters against moto's ECS ({@link MotoEcs}): the {@link TaskLauncherContract}, and
 * {@code RunTask}'s limit of 10 tasks per call, which moto does not enforce and so is watched on
 * the client. One server for the class; each test tags its tasks with a {@code startedBy} of its
 * own, so it sees only them.
 */
class EcsTaskLauncherMotoIT extends TaskLauncherContract {
  // Absolute: MotoServer runs moto in this directory and names its script by a path under it.
  private static final Path WORK =
      Path.of("target", "moto-it", "ecs-task-launcher").toAbsolutePath();

  private static MotoEcs world;
  private static MotoServer moto;
  private static EcsClient ecs;
  private static final RunTaskCounts runTasks = new RunTaskCounts();

  private EcsTaskLauncher launcher;
  private EcsTaskDirectory directory;
  private EcsTaskLauncher unstartable;

  @BeforeAll
  static void startMotoWithANetworkAClusterAndATaskDefinition() throws IOException {
    world = MotoEcs.start(WORK);
    moto = world.moto;
    ecs = world.newClient(runTasks);
  }

  @AfterAll
  static void stopMoto() {
    if (ecs != null) {
      ecs.close();
    }
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void launcherWithATagOfItsOwn() {
    String tag = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    EcsSettings settings = world.settings(MotoEcs.FAMILY, tag);
    launcher = new EcsTaskLauncher(ecs, settings);
    directory = new EcsTaskDirectory(ecs, settings);
    unstartable =
        new EcsTaskLauncher(ecs, world.settings(MotoEcs.FAMILY + "-missing", tag + "-missing"));
    runTasks.counts.clear();
    runTasks.tokens.clear();
  }

  @Override
  protected TaskLauncher launcher() {
    return launcher;
  }

  @Override
  protected TaskDirectory directory() {
    return directory;
  }

  @Override
  protected TaskLauncher unstartable() {
    return unstartable;
  }

  @Override
  protected void stop(String taskId) {
    ecs.stopTask(
        b -> b.cluster(MotoEcs.CLUSTER).task(taskId).reason("Stopped by the contract test"));
  }

  @Override
  protected Duration visibleWithin() {
    return Duration.ofSeconds(10);
  }

  @Test
  void twelveTasksAreTwoRunTaskCallsOfTenAndTwoAndAllCount() {
    LaunchResult result = launcher.launch(12);

    assertThat(runTasks.counts).containsExactly(10, 2);
    assertThat(result.failures()).isEmpty();
    assertThat(result.started()).hasSize(12).doesNotHaveDuplicates();
    await()
        .atMost(visibleWithin())
        .untilAsserted(() -> assertThat(launcher.running()).isEqualTo(12));
    assertThat(directory.tasks())
        .extracting(TaskView::taskId)
        .containsExactlyInAnyOrderElementsOf(result.started());
  }

  @Test
  void eachRunTaskCallCarriesAClientTokenOfItsOwn() {
    launcher.launch(12);

    assertThat(runTasks.tokens).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
  }

  @Test
  void whileTheListingLagsConcurrentDecisionsStartTheFleetOnce() throws Exception {
    // ECS's ListTasks is eventually consistent: here it shows no task younger than a minute.
    moto.ecsListLag(Duration.ofSeconds(60));
    try {
      TriggerService trigger =
          new TriggerService(
              new TriggerSettings(
                  "demo-decoupling-saa",
                  "fasttrack-saa-backlog",
                  ScalingPolicy.Proportional.defaults()),
              new TestPorts.FixedBacklog(1100, 0),
              launcher,
              new TestPorts.FixedAlarm(AlarmState.ALARM),
              Clock.systemUTC());
      // The CloudWatch message of the SNS fixture, read as plain JSON: the Lambda event
      // serializer needs the function's own class path, which this test's is not.
      String alarm =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(Fixtures.text("events/sns-alarm.json"))
              .path("Records")
              .get(0)
              .path("Sns")
              .path("Message")
              .asText();
      // The notification, SNS delivering it again under another id, and two schedule ticks.
      List<Callable<TriggerReport>> decisions =
          List.of(
              () -> trigger.onNotification("sns-1", alarm),
              () -> trigger.onNotification("sns-2", alarm),
              trigger::reconcile,
              trigger::reconcile);
      ExecutorService pool = Executors.newFixedThreadPool(decisions.size());
      try {
        for (Future<TriggerReport> f : pool.invokeAll(decisions)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(directory.running()).as("listed while the listing lags").isZero();

      moto.ecsListLag(Duration.ZERO);
      assertThat(directory.running()).as("the seed's 4 tasks, once").isEqualTo(4);
      assertThat(runTasks.counts).containsExactly(4);
    } finally {
      moto.ecsListLag(Duration.ZERO);
    }
  }

  @Test
  void aTaskStartedHereThatStoppedIsNotCountedWhileTheListingLags() {
    moto.ecsListLag(Duration.ofSeconds(60));
    try {
      String id = launcher.launch(2).started().get(0);
      assertThat(launcher.running()).isEqualTo(2);

      stop(id);

      assertThat(launcher.running()).as("DescribeTasks reports it stopped").isEqualTo(1);
    } finally {
      moto.ecsListLag(Duration.ZERO);
    }
  }

  /** The {@code count} and {@code clientToken} of each {@code RunTask} sent, in order. */
  private static final class RunTaskCounts implements ExecutionInterceptor {
    final List<Integer> counts = new CopyOnWriteArrayList<>();
    final List<String> tokens = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof RunTaskRequest r) {
        counts.add(r.count());
        tokens.add(r.clientToken());
      }
    }
  }
}
