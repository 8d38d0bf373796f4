package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which task listings are changes. */
class TaskTrackerTest {
  private static TaskView task(String id, TaskState state) {
    return new TaskView(
        id,
        id,
        state,
        Instant.parse("2026-11-27T21:50:00Z"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static List<String> ids(List<TaskView> views) {
    return views.stream().map(v -> v.taskId() + ":" + v.state()).toList();
  }

  @Test
  void theFirstListingReportsLiveTasksAndOnlyCountsStoppedOnes() {
    TaskTracker tracker = new TaskTracker();

    List<TaskView> first =
        tracker.changes(
            List.of(
                task("old", TaskState.STOPPED),
                task("a", TaskState.PROVISIONING),
                task("b", TaskState.RUNNING)));

    assertThat(ids(first)).containsExactly("a:PROVISIONING", "b:RUNNING");
    assertThat(tracker.stoppedBefore()).isEqualTo(1);
    assertThat(tracker.baselined()).isTrue();
  }

  @Test
  void laterListingsReportNewTasksAndStateChangesOnlyOnce() {
    TaskTracker tracker = new TaskTracker();
    tracker.changes(List.of(task("a", TaskState.PROVISIONING)));

    assertThat(ids(tracker.changes(List.of(task("a", TaskState.PROVISIONING))))).isEmpty();
    assertThat(
            ids(
                tracker.changes(
                    List.of(task("a", TaskState.RUNNING), task("c", TaskState.STOPPED)))))
        .containsExactly("a:RUNNING", "c:STOPPED");
    assertThat(ids(tracker.changes(List.of(task("a", TaskState.STOPPED)))))
        .containsExactly("a:STOPPED");
    // ECS forgets stopped tasks after a while; one that comes back is not new.
    assertThat(ids(tracker.changes(List.of()))).isEmpty();
    assertThat(ids(tracker.changes(List.of(task("c", TaskState.STOPPED))))).isEmpty();
    assertThat(tracker.stoppedBefore()).isZero();
  }
}
