package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which remembered launches still count, and which are pruned. */
class RecentLaunchesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T21:50:06Z");

  @Test
  void aLaunchCountsForExactlyTheRememberedPeriod() {
    assertThat(RecentLaunches.counts(NOW, NOW)).isTrue();
    assertThat(RecentLaunches.counts(NOW.minus(EcsTaskLauncher.REMEMBERED), NOW)).isTrue();
    assertThat(RecentLaunches.counts(NOW.minus(EcsTaskLauncher.REMEMBERED).minusMillis(1), NOW))
        .isFalse();
  }

  @Test
  void staleLaunchesArePrunedAndRecentOnesKeptInOrder() {
    Map<String, Instant> started = new LinkedHashMap<>();
    started.put("arn:task/c/fresh", NOW.minusSeconds(5));
    started.put("arn:task/c/old", NOW.minus(Duration.ofMinutes(3)));
    started.put("arn:task/c/edge", NOW.minus(EcsTaskLauncher.REMEMBERED));

    assertThat(RecentLaunches.recent(started, NOW))
        .containsExactly(
            Map.entry("arn:task/c/fresh", NOW.minusSeconds(5)),
            Map.entry("arn:task/c/edge", NOW.minus(EcsTaskLauncher.REMEMBERED)));
    assertThat(RecentLaunches.stale(started, NOW)).containsExactly("arn:task/c/old");
  }

  @Test
  void theInMemoryLedgerForgetsStoppedAndStaleLaunches() {
    LaunchLedger ledger = LaunchLedger.inMemory();
    ledger.record(java.util.List.of("a", "b"), NOW.minus(Duration.ofMinutes(3)));
    ledger.record(java.util.List.of("c", "d"), NOW);
    ledger.forget(java.util.List.of("c"));

    assertThat(ledger.recent(NOW)).containsOnlyKeys("d");
  }
}
