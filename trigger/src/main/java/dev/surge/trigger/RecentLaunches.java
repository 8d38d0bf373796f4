package dev.surge.trigger;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which remembered launches still count: those started within {@link EcsTaskLauncher#REMEMBERED}.
 * Older ones are stale: by then {@code ListTasks} shows a live task (ECS's lag is seconds, not
 * minutes), so the ledgers prune them.
 */
final class RecentLaunches {
  private RecentLaunches() {}

  /** Whether a task started at {@code startedAt} still counts at {@code now}. */
  static boolean counts(Instant startedAt, Instant now) {
    return !startedAt.plus(EcsTaskLauncher.REMEMBERED).isBefore(now);
  }

  /** The launches of {@code started} that still count at {@code now}, in their order. */
  static Map<String, Instant> recent(Map<String, Instant> started, Instant now) {
    Map<String, Instant> recent = new LinkedHashMap<>();
    started.forEach(
        (arn, at) -> {
          if (counts(at, now)) {
            recent.put(arn, at);
          }
        });
    return recent;
  }

  /** The task ARNs of {@code started} that no longer count at {@code now}: to prune. */
  static List<String> stale(Map<String, Instant> started, Instant now) {
    return started.entrySet().stream()
        .filter(e -> !counts(e.getValue(), now))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** {@code launches} by the time they were made, the oldest first. */
  static List<PendingLaunch> oldestFirst(Collection<PendingLaunch> launches) {
    return launches.stream()
        .sorted(Comparator.comparing(PendingLaunch::at).thenComparing(PendingLaunch::clientToken))
        .toList();
  }
}
