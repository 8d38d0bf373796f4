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
    ledger.record("t1", java.util.List.of("a", "b"), NOW.minus(Duration.ofMinutes(3)));
    ledger.record("t2", java.util.List.of("c", "d"), NOW);
    ledger.forget(java.util.List.of("c"));

    assertThat(ledger.recent(NOW)).containsOnlyKeys("d");
  }

  @Test
  void theInMemoryLedgerKeepsALaunchPendingUntilItsAnswerItsListingOrItsTime() {
    LaunchLedger ledger = LaunchLedger.inMemory();
    PendingLaunch answered = new PendingLaunch("answered", 2, NOW.minusSeconds(30));
    PendingLaunch listed = new PendingLaunch("listed", 2, NOW.minusSeconds(20));
    PendingLaunch lost = new PendingLaunch("lost", 3, NOW.minusSeconds(10));
    for (PendingLaunch p : java.util.List.of(lost, listed, answered)) {
      assertThat(ledger.beforeLaunch(p)).as("no bound of its own").isEmpty();
    }
    assertThat(ledger.pending(NOW)).containsExactly(answered, listed, lost);

    ledger.record("answered", java.util.List.of("a"), NOW);
    ledger.confirmed(java.util.List.of("listed"));

    assertThat(ledger.pending(NOW)).containsExactly(lost);
    assertThat(ledger.pending(lost.at().plus(EcsTaskLauncher.REMEMBERED).plusMillis(1))).isEmpty();
  }
}
