package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskView;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import dev.surge.trigger.TaskLauncherContract;
import dev.surge.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link TaskLauncherContract} for worker processes: real workers on the real stand-ins, a
 * launcher of its own for each test (closed after it), one queue and table for the class. The queue
 * stays empty and the workers' idle window is two minutes, so a task runs until it is stopped. What
 * only processes do (draining, SIGTERM on close, orphans) is {@link ProcessTaskLauncherIT}'s.
 */
@ExtendWith(StandInsExtension.class)
class ProcessTaskLauncherContractIT extends TaskLauncherContract {
  private static Resources resources;

  @TempDir Path logs;
  private final EventLog events = new EventLog(1_000);
  private ProcessTaskLauncher launcher;
  private ProcessTaskLauncher unstartable;

  @BeforeAll
  static void queueAndTable(StandIns standIns) {
    resources = new Resources(standIns, "contract");
  }

  @AfterAll
  static void closeClients() {
    resources.close();
  }

  @BeforeEach
  void launchers() {
    LauncherSettings settings =
        LauncherSettings.of(resources.target, resources.name, resources.name, FLEET, logs)
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(1)
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(Duration.ofMinutes(2)))
            // A worker drains within a second of SIGTERM; the bound only caps a stuck teardown.
            .withStopTimeout(Duration.ofSeconds(5));
    launcher =
        new ProcessTaskLauncher(settings, WorkerCommand.current(), Clock.systemUTC(), events);
    WorkerCommand missing =
        new WorkerCommand(
            logs.resolve("no-such-java").toString(), "", WorkerMain.class.getName(), List.of());
    unstartable = new ProcessTaskLauncher(settings, missing, Clock.systemUTC(), events);
  }

  @AfterEach
  void closeLaunchers() {
    launcher.close();
    unstartable.close();
    List<Optional<ProcessHandle>> workers =
        launcher.tasks().stream().map(TaskView::taskId).map(launcher::process).toList();
    assertThat(workers).noneMatch(p -> p.map(ProcessHandle::isAlive).orElse(false));
  }

  @Override
  protected TaskLauncher launcher() {
    return launcher;
  }

  @Override
  protected TaskDirectory directory() {
    return launcher;
  }

  @Override
  protected TaskLauncher unstartable() {
    return unstartable;
  }

  @Override
  protected void stop(String taskId) {
    assertThat(launcher.kill(taskId)).as("%s was alive to kill", taskId).isTrue();
  }

  @Override
  protected Duration visibleWithin() {
    return Duration.ofSeconds(20);
  }
}
