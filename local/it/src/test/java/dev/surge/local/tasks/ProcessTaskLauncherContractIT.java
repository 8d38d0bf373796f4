package dev.surge.local.tasks;

import static org.awaitility.Awaitility.await;

import dev.surge.aws.AwsClients;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskState;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.trigger.EcsSettings;
import dev.surge.trigger.EcsTaskDirectory;
import dev.surge.trigger.EcsTaskLauncher;
import dev.surge.trigger.TaskLauncherContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * The {@link TaskLauncherContract} for the local ECS: the SDK's launcher and task directory, as the
 * chain's function uses them, at a local cloud's one endpoint, whose {@code RunTask} starts real
 * worker processes with the process launcher. One cloud for the class, its queue empty and the
 * workers' idle window two minutes, so a task runs until it is stopped; each test is a fleet of its
 * own ({@code startedBy}), with no tasks yet. What only processes do (draining, SIGTERM on close,
 * orphans) is {@link ProcessTaskLauncherIT}'s.
 */
class ProcessTaskLauncherContractIT extends TaskLauncherContract {
  private static final String UNSTARTABLE = "contract-unstartable";

  @TempDir static Path logs;
  private static LocalCloud cloud;
  private static EcsClient ecs;
  private static int fleets;

  private EcsTaskLauncher launcher;
  private EcsTaskDirectory directory;
  private EcsTaskLauncher unstartable;

  @BeforeAll
  static void cloud() {
    cloud =
        LocalCloud.start(
            LocalCloudOptions.seed(0, 0, logs)
                .withTuning(
                    WorkerTuning.defaults()
                        .withConcurrency(1)
                        .withPollWait(Duration.ofSeconds(1))
                        .withIdleWindow(Duration.ofMinutes(2))),
            new EventLog(1_000),
            Clock.systemUTC());
    ecs = new AwsClients(cloud.target(), 2, List.of()).build(EcsClient.builder(), "ECS");
    // A family whose container's program does not exist: its tasks cannot start.
    ecs.registerTaskDefinition(
        b ->
            b.family(UNSTARTABLE)
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("worker")
                        .image("contract:none")
                        .essential(true)
                        .entryPoint(logs.resolve("no-such-program").toString())
                        .build()));
  }

  @AfterAll
  static void stopCloud() {
    ecs.close();
    cloud.close();
  }

  @BeforeEach
  void fleet() {
    String startedBy = "contract-" + ++fleets;
    String family = cloud.options().names().taskFamily();
    launcher = new EcsTaskLauncher(ecs, settings(family, startedBy));
    directory = new EcsTaskDirectory(ecs, settings(family, startedBy));
    unstartable = new EcsTaskLauncher(ecs, settings(UNSTARTABLE, startedBy));
  }

  private static EcsSettings settings(String family, String startedBy) {
    return new EcsSettings(
        cloud.options().names().cluster(),
        family,
        cloud.options().names().container(),
        List.of("subnet-local"),
        List.of(),
        true,
        startedBy);
  }

  @AfterEach
  void stopFleet() {
    cloud.launcher().stopRunning();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> cloud.launcher().tasks().stream().allMatch(t -> t.state() == TaskState.STOPPED));
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
    ecs.stopTask(b -> b.cluster(cloud.options().names().cluster()).task(taskId));
  }

  @Override
  protected Duration visibleWithin() {
    return Duration.ofSeconds(20);
  }
}
