package dev.surge.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.port.TaskView;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Reads how many items a stopped worker task wrote from the summary line it prints when it ends
 * ({@value WorkerRunner#SUMMARY_PREFIX}{@code {"written":N,...}}), which the container's log driver
 * sends to the workers' log group in a stream ending with the task's id.
 */
final class WorkerLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = WorkerRunner.SUMMARY_PREFIX.strip();

  private final CloudWatchLogsClient logs;
  private final String logGroup;

  /** Reads summaries from {@code logGroup}. */
  WorkerLog(CloudWatchLogsClient logs, String logGroup) {
    this.logs = Objects.requireNonNull(logs, "logs");
    this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
  }

  /**
   * The items each of {@code tasks} wrote, by task id, for those whose summary was logged: one
   * {@code FilterLogEvents} scan (paged) from the oldest task's creation on. SDK errors pass
   * through.
   */
  Map<String, Long> itemsWritten(List<TaskView> tasks) {
    Map<String, Long> written = new HashMap<>();
    if (tasks.isEmpty()) {
      return written;
    }
    // Stream names are <prefix>/<container>/<task id>: matching the end needs no prefix.
    Map<String, String> idBySuffix = new HashMap<>();
    tasks.forEach(t -> idBySuffix.put("/" + t.taskId(), t.taskId()));
    long from = tasks.stream().mapToLong(t -> t.startedAt().toEpochMilli()).min().getAsLong();
    FilterLogEventsRequest request =
        FilterLogEventsRequest.builder()
            .logGroupName(logGroup)
            .startTime(from)
            .filterPattern("\"" + MARKER + "\"")
            .build();
    try {
      for (FilteredLogEvent e : logs.filterLogEventsPaginator(request).events()) {
        String stream = Objects.toString(e.logStreamName(), "");
        String id = idBySuffix.get(stream.substring(Math.max(0, stream.lastIndexOf('/'))));
        if (id != null) {
          written(Objects.toString(e.message(), "")).ifPresent(n -> written.put(id, n));
        }
      }
    } catch (ResourceNotFoundException e) {
      // No log group yet: no worker has logged anything.
    }
    return written;
  }

  /** The {@code written} count of a summary line. */
  static OptionalLong written(String message) {
    int at = message.indexOf(WorkerRunner.SUMMARY_PREFIX);
    if (at < 0) {
      return OptionalLong.empty();
    }
    try {
      JsonNode written =
          JSON.readTree(message.substring(at + WorkerRunner.SUMMARY_PREFIX.length()))
              .path("written");
      return written.isIntegralNumber() && written.canConvertToLong()
          ? OptionalLong.of(written.asLong())
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
