package dev.surge.core.port;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link TaskLauncher#launch(int)} call achieved.
 *
 * @param started ids of the tasks that were started
 * @param failures one entry per task that could not be started
 */
public record LaunchResult(List<String> started, List<LaunchFailure> failures) {
  /** Copies both lists. */
  public LaunchResult {
    started = List.copyOf(Objects.requireNonNull(started, "started"));
    failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
  }

  /** Nothing attempted. */
  public static LaunchResult empty() {
    return new LaunchResult(List.of(), List.of());
  }

  /** Both results together. */
  public LaunchResult plus(LaunchResult other) {
    List<String> s = new java.util.ArrayList<>(started);
    s.addAll(other.started);
    List<LaunchFailure> f = new java.util.ArrayList<>(failures);
    f.addAll(other.failures);
    return new LaunchResult(s, f);
  }
}
