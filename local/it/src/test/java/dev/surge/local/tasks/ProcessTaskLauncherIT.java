package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.cost.RunUsage;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent.TaskChanged;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import dev.surge.worker.WorkerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with real worker processes on the real stand-ins. */
@Order(1) // among the longest: started first
@ExtendWith(StandInsExtension.class)
class ProcessTaskLauncherIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static StandIns standIns;

  @TempDir Path logs;
  private final EventLog events = new EventLog(10_000);

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  private ProcessTaskLauncher launcher(Resources r, int maxTasks, Duration idleWindow) {
    LauncherSettings settings =
        LauncherSettings.of(r.target, r.name, r.name, maxTasks, logs)
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(2)
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(idleWindow));
    return new ProcessTaskLauncher(settings, WorkerCommand.current(), Clock.systemUTC(), events);
  }

  private static boolean allIn(ProcessTaskLauncher launcher, TaskState state) {
    return launcher.tasks().stream().allMatch(t -> t.state() == state);
  }

  private List<TaskChanged> changesOf(String taskId) {
    return events.events().stream()
        .map(s -> s.event())
        .filter(TaskChanged.class::isInstance)
        .map(TaskChanged.class::cast)
        .filter(c -> c.task().taskId().equals(taskId))
        .toList();
  }

  @Test
  void twoWorkersDrainTheQueueIntoTheTableAndStopWithExitCodeZero() throws Exception {
    try (Resources r = new Resources(standIns, "drain");
        // Each waits on an empty queue as long as the test waits for both to start: the first
        // worker of a class path makes its class-data archive, and on a loaded machine it was
        // ready more than 15 s after its sibling, which had by then ended on a shorter window.
        ProcessTaskLauncher launcher = launcher(r, 2, START)) {
      ProcessTaskLauncher.Run launched = launcher.run(launcher.latestOfFamily("surge"), 3);

      assertThat(launched.tasks()).containsExactly("task-0001", "task-0002");
      assertThat(launched.failures())
          .singleElement()
          .extracting(LaunchFailure::reason)
          .isEqualTo("capacity");
      assertThat(launcher.running()).isEqualTo(2);
      await().atMost(START).until(() -> allIn(launcher, TaskState.RUNNING));

      // Produced once both poll, so both take part.
      r.produce(500);
      await().atMost(Duration.ofSeconds(120).plus(START)).until(() -> launcher.running() == 0);

      List<TaskView> tasks = launcher.tasks();
      assertThat(tasks).extracting(TaskView::taskId).containsExactly("task-0001", "task-0002");
      for (TaskView t : tasks) {
        assertThat(t.state()).isEqualTo(TaskState.STOPPED);
        assertThat(t.exitCode()).as(Files.readString(launcher.logFile(t.taskId()))).contains(0);
        assertThat(t.stopReason()).contains("Essential container in task exited");
        assertThat(t.stoppedAt()).isPresent();
        assertThat(changesOf(t.taskId()))
            .extracting(c -> c.task().state())
            .containsExactly(TaskState.PROVISIONING, TaskState.RUNNING, TaskState.STOPPED);
        assertThat(Files.readString(launcher.logFile(t.taskId())))
            .contains(WorkerRunner.READY_PREFIX)
            .contains(WorkerRunner.SUMMARY_PREFIX);
      }
      long written =
          tasks.stream().mapToLong(t -> changesOf(t.taskId()).get(2).itemsWritten()).sum();
      assertThat(written).isEqualTo(500);
      // What Fargate, SQS and DynamoDB would bill: each task at least a minute, the workers'
      // SQS requests (a receive and a delete per batch of 10 at the least), one write each.
      RunUsage usage = launcher.usage(java.time.Instant.now());
      assertThat(usage.tasks()).isEqualTo(2);
      assertThat(usage.taskSeconds()).isGreaterThanOrEqualTo(120);
      assertThat(usage.sqsRequests()).isGreaterThanOrEqualTo(2 * 500 / 10);
      assertThat(usage.dynamoDbWriteUnits()).isEqualTo(500);
      Map<String, Long> perHost = r.itemsPerHost();
      assertThat(perHost.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(500);
      assertThat(perHost.keySet()).containsExactlyInAnyOrder("task-0001", "task-0002");
      assertThat(perHost.values()).allMatch(n -> n > 0);
    }
  }

  @Test
  void aKilledTaskStopsWithANonZeroCodeAndCloseStopsTheRestGracefully() throws Exception {
    try (Resources r = new Resources(standIns, "stop")) {
      ProcessTaskLauncher launcher = launcher(r, 2, Duration.ofMinutes(2));
      try {
        stopTasks(launcher);
      } finally {
        launcher.close();
      }
    }
  }

  private void stopTasks(ProcessTaskLauncher launcher) throws Exception {
    {
      launcher.run(launcher.latestOfFamily("surge"), 2);
      await().atMost(START).until(() -> allIn(launcher, TaskState.RUNNING));
      List<ProcessHandle> children =
          List.of(
              launcher.process("task-0001").orElseThrow(),
              launcher.process("task-0002").orElseThrow());

      assertThat(launcher.kill("task-0001")).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> launcher.task("task-0001").orElseThrow().state() == TaskState.STOPPED);
      TaskView killed = launcher.task("task-0001").orElseThrow();
      assertThat(killed.exitCode()).hasValueSatisfying(code -> assertThat(code).isNotZero());
      assertThat(killed.stopReason()).hasValueSatisfying(s -> assertThat(s).contains("Killed"));
      assertThat(launcher.running()).isEqualTo(1);

      launcher.close();

      TaskView stopped = launcher.task("task-0002").orElseThrow();
      assertThat(stopped.state()).isEqualTo(TaskState.STOPPED);
      assertThat(stopped.exitCode())
          .as(Files.readString(launcher.logFile("task-0002")))
          .contains(0);
      assertThat(stopped.stopReason()).hasValueSatisfying(s -> assertThat(s).contains("SIGTERM"));
      // Its output was read to the end, after the signal too.
      assertThat(Files.readString(launcher.logFile("task-0002")))
          .contains(WorkerRunner.SUMMARY_PREFIX)
          .contains("\"outcome\":\"STOPPED\"");
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      assertThat(launcher.kill("task-0002")).isFalse();
      assertThat(launcher.run(launcher.latestOfFamily("surge"), 1).failures())
          .singleElement()
          .extracting(LaunchFailure::reason)
          .isEqualTo("closed");
    }
  }

  @Test
  void workersStopByThemselvesWhenTheLaunchersJvmIsKilled() throws Exception {
    try (Resources r = new Resources(standIns, "orphan");
        ChildLauncher child = new ChildLauncher(standIns, r, logs, 2)) {
      List<Long> workers = child.workers(START);
      assertThat(workers).hasSize(2).allMatch(ChildLauncher::alive);

      child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

      // They would idle for two minutes; only their standard input closing stops them now.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> workers.stream().noneMatch(ChildLauncher::alive));
    }
  }

  @Test
  void theShutdownHookStopsTheWorkersBeforeTheLaunchersJvmExits() throws Exception {
    try (Resources r = new Resources(standIns, "hook");
        ChildLauncher child = new ChildLauncher(standIns, r, logs, 1)) {
      List<Long> workers = child.workers(START);

      child.process.getOutputStream().close(); // the child then calls System.exit
      assertThat(child.process.waitFor(40, TimeUnit.SECONDS)).isTrue();

      // No waiting: the hook had stopped the worker before the JVM could end.
      assertThat(workers).noneMatch(ChildLauncher::alive);
      assertThat(child.output)
          .anyMatch(l -> l.contains("task task-0001 stopped: exit code 0"))
          .anyMatch(l -> l.contains("SIGTERM"));
    }
  }
}
