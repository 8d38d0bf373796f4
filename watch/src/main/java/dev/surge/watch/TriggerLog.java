package dev.surge.watch;

import dev.surge.core.observe.PipelineEvent;
import dev.surge.trigger.TriggerDecisionLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * Follows the trigger function's log group for its decision lines ({@link TriggerDecisionLine}:
 * {@code FilterLogEvents} with the filter pattern {@value TriggerDecisionLine#FILTER_PATTERN}, from
 * the watch's start). These are the same reports the local target publishes as {@link
 * PipelineEvent.TriggerDecided}. Log events can arrive late, so each poll re-reads an overlap
 * window and drops the event ids it has seen. Not thread-safe: one poll loop owns it.
 */
final class TriggerLog {
  // CloudWatch Logs usually ingests Lambda output within seconds; a minute covers stragglers.
  private static final Duration OVERLAP = Duration.ofMinutes(1);

  private final CloudWatchLogsClient logs;
  private final String logGroup;
  private final Clock clock;
  private final Map<String, Long> seen = new HashMap<>();
  private long fromMillis;

  /** Follows {@code logGroup} from {@code since} on. */
  TriggerLog(CloudWatchLogsClient logs, String logGroup, Instant since, Clock clock) {
    this.logs = Objects.requireNonNull(logs, "logs");
    this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
    this.fromMillis = since.toEpochMilli();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The decisions logged since the last poll, oldest first (SDK errors pass through). */
  List<PipelineEvent.TriggerDecided> poll() {
    FilterLogEventsRequest request =
        FilterLogEventsRequest.builder()
            .logGroupName(logGroup)
            .startTime(fromMillis)
            .filterPattern(TriggerDecisionLine.FILTER_PATTERN)
            .build();
    List<FilteredLogEvent> fresh = new ArrayList<>();
    long newest = fromMillis;
    for (FilteredLogEvent e : logs.filterLogEventsPaginator(request).events()) {
      long ts = e.timestamp() == null ? fromMillis : e.timestamp();
      if (ts < fromMillis) {
        continue; // before what was asked for; it could not be told from one already seen
      }
      newest = Math.max(newest, ts);
      if (e.eventId() == null || seen.putIfAbsent(e.eventId(), ts) == null) {
        fresh.add(e);
      }
    }
    fromMillis = Math.max(fromMillis, newest - OVERLAP.toMillis());
    seen.values().removeIf(ts -> ts < fromMillis);
    fresh.sort(
        Comparator.comparing(FilteredLogEvent::timestamp, Comparator.nullsFirst(Long::compare)));
    List<PipelineEvent.TriggerDecided> decisions = new ArrayList<>();
    for (FilteredLogEvent e : fresh) {
      decided(Objects.toString(e.message(), ""), clock.instant()).ifPresent(decisions::add);
    }
    return decisions;
  }

  /** The decision a log event's {@code message} carries, seen {@code at}; empty for other lines. */
  static Optional<PipelineEvent.TriggerDecided> decided(String message, Instant at) {
    return TriggerDecisionLine.parse(message).map(d -> d.toEvent(at));
  }
}
