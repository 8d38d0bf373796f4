package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskLauncher} and its {@link TaskDirectory} promise, whatever runs the tasks:
 * one suite, run against each implementation by a subclass ({@code EcsTaskLauncherMotoIT} for ECS,
 * {@code ProcessTaskLauncherContractIT} for the same launcher at the local cloud's ECS). A subclass
 * gives the suite a launcher with no tasks for each test, the directory of that launcher's tasks, a
 * way to end one task as its platform ends tasks, and how long changes may take to show.
 *
 * <p>Every observation of {@code running()} or {@code tasks()} after a change is awaited, never
 * asserted at once: ECS's listings may lag behind {@code RunTask} and {@code StopTask}, and a local
 * task stops when its process has ended, a moment after the signal. Each test starts at most {@link
 * #FLEET} tasks, since a local task is a JVM and the suite runs in every build on a small machine.
 */
public abstract class TaskLauncherContract {
  /** The most tasks one test starts. */
  protected static final int FLEET = 2;

  /** Start times may differ this much from this JVM's clock (another process stamps them). */
  private static final Duration SKEW = Duration.ofSeconds(5);

  /** The launcher under test: a fresh one for each test, with no tasks yet. */
  protected abstract TaskLauncher launcher();

  /** The directory of the tasks {@link #launcher()} starts. */
  protected abstract TaskDirectory directory();

  /**
   * A launcher of the same kind that can start no task (a task definition or an executable that
   * does not exist), with no tasks yet; the same instance for the whole test.
   */
  protected abstract TaskLauncher unstartable();

  /**
   * Ends task {@code taskId}, which {@link #launcher()} started and which is alive, the way its
   * platform ends a task from outside (ECS {@code StopTask}; locally, killing its process). May
   * return before the task has stopped.
   */
  protected abstract void stop(String taskId);

  /** How long a start or a stop may take to show in {@code running()} and {@code tasks()}. */
  protected abstract Duration visibleWithin();

  @Test
  void launchAccountsForEveryTaskAskedForWithDistinctIds() {
    LaunchResult result = launcher().launch(FLEET);

    assertThat(result.started().size() + result.failures().size()).isEqualTo(FLEET);
    assertThat(result.failures()).as("no task may fail to start here").isEmpty();
    assertThat(result.started())
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isNotBlank());
  }

  @Test
  void startedTasksCountAsRunning() {
    started(launcher().launch(FLEET));

    await()
        .atMost(visibleWithin())
        .untilAsserted(() -> assertThat(launcher().running()).isEqualTo(FLEET));
  }

  @Test
  void tasksListsEachStartedTaskWithItsHostAndStartTimeOldestFirst() {
    Instant before = Instant.now();
    String first = started(launcher().launch(1)).get(0);
    // Listed before the second is launched: older by at least that round trip, so distinct even
    // on a clock of millisecond resolution (ECS's).
    await().atMost(visibleWithin()).until(() -> find(first).isPresent());
    String second = started(launcher().launch(1)).get(0);

    List<TaskView> tasks =
        await()
            .atMost(visibleWithin())
            .until(
                () -> directory().tasks(),
                t -> t.stream().map(TaskView::taskId).toList().containsAll(List.of(first, second)));

    assertThat(second).isNotEqualTo(first);
    assertThat(tasks).extracting(TaskView::taskId).containsExactly(first, second);
    assertThat(tasks).isSortedAccordingTo(Comparator.comparing(TaskView::startedAt));
    Instant after = Instant.now();
    assertThat(tasks)
        .allSatisfy(
            t -> {
              assertThat(t.host()).isNotBlank();
              assertThat(t.startedAt()).isBetween(before.minus(SKEW), after.plus(SKEW));
              assertThat(t.state().alive()).as("%s is alive", t).isTrue();
              assertThat(t.stoppedAt()).isEmpty();
              assertThat(t.exitCode()).isEmpty();
              assertThat(t.stopReason()).isEmpty();
            });
  }

  @Test
  void aStoppedTaskLeavesRunningAndIsListedAsStoppedWithItsStopTime() {
    List<String> ids = started(launcher().launch(FLEET));
    await()
        .atMost(visibleWithin())
        .untilAsserted(() -> assertThat(launcher().running()).isEqualTo(FLEET));
    String victim = ids.get(0);
    Instant beforeStop = Instant.now();

    stop(victim);

    await()
        .atMost(visibleWithin())
        .untilAsserted(() -> assertThat(launcher().running()).isEqualTo(FLEET - 1));
    TaskView stopped =
        await()
            .atMost(visibleWithin())
            .until(
                () -> find(victim), t -> t.map(v -> v.state() == TaskState.STOPPED).orElse(false))
            .orElseThrow();
    assertThat(stopped.stoppedAt())
        .hasValueSatisfying(
            at ->
                assertThat(at)
                    .isAfterOrEqualTo(stopped.startedAt())
                    .isAfter(beforeStop.minus(SKEW)));
    // Why it stopped is always known. An exit code is not required: a platform knows one only
    // once the worker's exit was reported, and a task stopped before its worker ran has none.
    assertThat(stopped.stopReason()).hasValueSatisfying(r -> assertThat(r).isNotBlank());
    assertThat(find(ids.get(1)))
        .hasValueSatisfying(t -> assertThat(t.state().alive()).as("%s is alive", t).isTrue());
  }

  @Test
  void launchingFewerThanOneTaskIsRejectedAndStartsNothing() {
    assertThatIllegalArgumentException().isThrownBy(() -> launcher().launch(0));
    assertThatIllegalArgumentException().isThrownBy(() -> launcher().launch(-1));

    assertThat(launcher().running()).isZero();
    assertThat(directory().tasks()).isEmpty();
  }

  @Test
  void tasksThatCannotStartAreFailuresNotExceptions() {
    TaskLauncher broken = unstartable();

    LaunchResult result = broken.launch(FLEET);

    assertThat(result.started()).isEmpty();
    assertThat(result.failures())
        .hasSize(FLEET)
        .allSatisfy(f -> assertThat(f.reason()).isNotBlank());
    assertThat(broken.running()).isZero();
  }

  /** The started ids, after checking that every task asked for started. */
  private static List<String> started(LaunchResult result) {
    assertThat(result.failures()).as("tasks that did not start").isEmpty();
    return result.started();
  }

  private Optional<TaskView> find(String taskId) {
    return directory().tasks().stream().filter(t -> t.taskId().equals(taskId)).findFirst();
  }
}
