package dev.surge.core.port;

import java.util.List;

/** Lists the tasks a launcher started, for status and the dashboard. */
public interface TaskDirectory {
  /** Every known task, oldest first; stopped ones included while the launcher remembers them. */
  List<TaskView> tasks();
}
