package dev.surge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.producer.Producer;
import dev.surge.queue.QueueOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The whole local chain: stand-ins, alarm, topic, trigger function, reconciler, real workers. */
@Order(1) // among the longest: started first
@Execution(ExecutionMode.CONCURRENT) // each test starts a local cloud of its own
class LocalCloudIT {
  private static final int MESSAGES = 1500;
  private static final int FLEET = 3;

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

  private static List<PipelineEvent> all(EventLog events) {
    return events.events().stream().map(EventLog.Sequenced::event).toList();
  }

  @Test
  void killingEveryWorkerWhileTheAlarmStaysInAlarmMakesTheReconcilerRelaunchAndNothingIsLost()
      throws Exception {
    EventLog events = new EventLog(100_000);
    // What this cloud starts: its workers and dynalite (other test classes of this JVM, running
    // at the same time, have processes of their own).
    List<ProcessHandle> workers = new ArrayList<>();
    List<ProcessHandle> started = new ArrayList<>();
    // A fleet of three: what is killed and relaunched is the same at any size, at a third of the
    // worker JVMs of the default cap of 10.
    LocalCloudOptions options = fast().withPolicy(ScalingPolicy.Proportional.defaults(), FLEET);
    try (LocalCloud cloud = LocalCloud.start(options, events, Clock.systemUTC())) {
      ProcessHandle dynalite = ProcessHandle.of(cloud.standIns().dynalitePid()).orElseThrow();
      started.add(dynalite);
      dynalite.descendants().forEach(started::add);
      // Enough that the fleet is still draining when it is killed (at 300 items), and that the
      // alarm stays in ALARM while the killed workers' messages come back.
      new Producer(cloud.sqs(), cloud.queues().url(), Backoff.standard())
          .produce(
              MESSAGES, 4, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
      ProcessTaskLauncher launcher = cloud.launcher();

      // The alarm fires, the function starts the fleet, the workers start writing.
      await().atMost(Duration.ofSeconds(90)).until(() -> cloud.monitor().countItems() >= 300);
      List<TaskView> first = launcher.tasks();
      assertThat(first).isNotEmpty().hasSizeLessThanOrEqualTo(FLEET);
      for (TaskView t : first) {
        launcher.process(t.taskId()).ifPresent(workers::add);
        launcher.kill(t.taskId()); // SIGKILL: no drain, messages in hand stay invisible
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> first.stream().allMatch(t -> stopped(launcher, t.taskId())));
      assertThat(cloud.alarm().state()).isEqualTo(AlarmState.ALARM);
      long itemsAtKill = cloud.monitor().countItems();
      assertThat(itemsAtKill).isLessThan(MESSAGES);

      // CloudWatch does not notify again while in ALARM: only the reconciler can relaunch.
      await().atMost(Duration.ofSeconds(60)).until(() -> launcher.tasks().size() > first.size());
      await()
          .atMost(Duration.ofSeconds(180))
          .until(
              () -> {
                PipelineMonitor.Sample s = cloud.monitor().sample();
                return s.items() == MESSAGES && s.depth().empty() && launcher.running() == 0;
              });
      launcher.tasks().forEach(t -> launcher.process(t.taskId()).ifPresent(workers::add));

      PipelineMonitor.Sample end = cloud.monitor().sample();
      assertThat(end.items()).isEqualTo(MESSAGES);
      assertThat(end.deadLetters()).isZero();
      assertThat(reconcileLaunches(events)).as("a reconcile tick launched tasks").isNotEmpty();
      assertThat(alarmRaised(events)).as("one ALARM transition, hence one notification").hasSize(1);
      assertThat(first).allSatisfy(t -> assertThat(exitCode(launcher, t.taskId())).isNotZero());
    }
    // Everything the cloud started is gone.
    for (ProcessHandle w : workers) {
      assertThat(w.isAlive()).as("worker %d", w.pid()).isFalse();
    }
    assertThat(started.stream().filter(ProcessHandle::isAlive)).as("dynalite").isEmpty();
  }

  @Test
  void fiftyMessagesBelowTheThresholdWithNoTaskRunningAreDrainedByOneActivatedTask()
      throws Exception {
    EventLog events = new EventLog(10_000);
    try (LocalCloud cloud = LocalCloud.start(fast(), events, Clock.systemUTC())) {
      // What a fleet that died leaves: a backlog under the alarm's threshold and no task.
      new Producer(cloud.sqs(), cloud.queues().url(), Backoff.standard())
          .produce(50, 2, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
      ProcessTaskLauncher launcher = cloud.launcher();

      // The reconciler ticks every alarm period (1 s here); the task needs a JVM start.
      await().atMost(Duration.ofSeconds(60)).until(() -> cloud.monitor().countItems() == 50);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> cloud.monitor().sample().depth().empty() && launcher.running() == 0);

      assertThat(cloud.alarm().state()).isNotEqualTo(AlarmState.ALARM);
      assertThat(launcher.tasks()).as("one task, started by activation").hasSize(1);
      assertThat(reconcileLaunches(events))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.started()).isEqualTo(1);
                assertThat(d.note()).contains("activation");
              });
      assertThat(alarmRaised(events)).as("the alarm never fired").isEmpty();
    }
  }

  /** The alarm's transitions to ALARM (each one notifies the topic). */
  private static List<PipelineEvent> alarmRaised(EventLog events) {
    return all(events).stream()
        .filter(e -> e instanceof PipelineEvent.AlarmChanged a && a.to() == AlarmState.ALARM)
        .toList();
  }

  /** The reconcile decisions that started tasks. */
  private static List<PipelineEvent.TriggerDecided> reconcileLaunches(EventLog events) {
    return all(events).stream()
        .filter(PipelineEvent.TriggerDecided.class::isInstance)
        .map(PipelineEvent.TriggerDecided.class::cast)
        .filter(d -> d.cause().equals("reconcile") && d.started() > 0)
        .toList();
  }

  private static boolean stopped(ProcessTaskLauncher launcher, String id) {
    return launcher.task(id).map(t -> t.state() == TaskState.STOPPED).orElse(false);
  }

  private static int exitCode(ProcessTaskLauncher launcher, String id) {
    return launcher.task(id).flatMap(TaskView::exitCode).orElse(0);
  }
}
