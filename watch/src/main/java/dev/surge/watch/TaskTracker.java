package dev.surge.watch;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive task listings into changes: a task not seen before, or seen in another state.
 * The first listing is the baseline: tasks already stopped then belong to earlier runs (ECS lists
 * stopped tasks for about an hour) and are not changes; tasks alive then are. A task that drops out
 * of the listing (ECS forgot it) is remembered, so it never comes back as new. Not thread-safe: one
 * poll loop owns it.
 */
final class TaskTracker {
  private final Map<String, TaskState> known = new HashMap<>();
  private boolean baselined;
  private int stoppedBefore;

  /** The tasks of {@code listing} that are new or changed state since the last call, in order. */
  List<TaskView> changes(List<TaskView> listing) {
    List<TaskView> changed = new ArrayList<>();
    for (TaskView t : listing) {
      TaskState before = known.put(t.taskId(), t.state());
      if (!baselined && t.state() == TaskState.STOPPED) {
        stoppedBefore++;
      } else if (before != t.state()) {
        changed.add(t);
      }
    }
    baselined = true;
    return changed;
  }

  /** Whether the first listing was taken. */
  boolean baselined() {
    return baselined;
  }

  /** Tasks that had already stopped at the first listing (not reported as changes). */
  int stoppedBefore() {
    return stoppedBefore;
  }
}
