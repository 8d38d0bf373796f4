package dev.surge.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link EcsTaskLauncher} remembers of the tasks it started: ECS's {@code ListTasks} is
 * eventually consistent, so a task just started may be missing from it for a while, and a decision
 * that trusted the listing alone would start it again. The launcher counts the ledger's recent
 * tasks the listing does not show yet, unless {@code DescribeTasks} says they stopped.
 *
 * <p>Each {@code RunTask} is written in before it is made, as a {@link PendingLaunch}, and its
 * answer replaces it with the tasks it started (none, when ECS refused the request). A call whose
 * answer never came or was a failure that may have started tasks (a timeout, a server error, a
 * function stopped mid-call) stays pending: its tasks count until {@code ListTasks} shows them.
 *
 * <p>{@link #inMemory()} remembers for one launcher, which is enough while one instance decides.
 * Instances that decide for the same fleet at once (Lambda execution environments) need one ledger
 * they all read: {@link DynamoDbFleetLease}, written only by the holder of the fleet's lease.
 */
public interface LaunchLedger {

  /**
   * The tasks started within {@link EcsTaskLauncher#REMEMBERED} before {@code now}: task ARN to the
   * time {@code RunTask} returned it.
   */
  Map<String, Instant> recent(Instant now);

  /**
   * The launches made within {@link EcsTaskLauncher#REMEMBERED} before {@code now} whose tasks are
   * neither named nor {@linkplain #confirmed confirmed} yet, oldest first.
   */
  List<PendingLaunch> pending(Instant now);

  /**
   * Called before each {@code RunTask}: records {@code launch} as pending, or throws when it cannot
   * be recorded (the DynamoDB ledger: this instance does not hold the fleet's lease), so nothing is
   * started.
   *
   * @return how long the call may take, its retries included, for its outcome to be recorded in
   *     time (the DynamoDB ledger: within the lease); empty when the ledger sets no bound
   * @throws RuntimeException with a message that says why no task may be started now
   */
  Optional<Duration> beforeLaunch(PendingLaunch launch);

  /**
   * Records the answer of {@code RunTask} {@code clientToken}: the tasks it started at {@code
   * startedAt}, none when ECS refused it. The pending launch no longer counts; the tasks do.
   *
   * @throws RuntimeException when they could not be recorded; the tasks were started regardless,
   *     and the pending launch still counts for them
   */
  void record(String clientToken, Collection<String> taskArns, Instant startedAt);

  /** Forgets tasks {@code DescribeTasks} reports stopped: they no longer count. */
  void forget(Collection<String> taskArns);

  /** Forgets pending launches whose tasks {@code ListTasks} shows: the listing counts them now. */
  void confirmed(Collection<String> clientTokens);

  /** A ledger in this launcher's memory: what one instance started. */
  static LaunchLedger inMemory() {
    return new LaunchLedger() {
      private final Map<String, Instant> started = new ConcurrentHashMap<>();
      private final Map<String, PendingLaunch> pending = new ConcurrentHashMap<>();

      @Override
      public Map<String, Instant> recent(Instant now) {
        started.keySet().removeAll(RecentLaunches.stale(started, now));
        return RecentLaunches.recent(started, now);
      }

      @Override
      public List<PendingLaunch> pending(Instant now) {
        pending.values().removeIf(p -> !RecentLaunches.counts(p.at(), now));
        return RecentLaunches.oldestFirst(pending.values());
      }

      @Override
      public Optional<Duration> beforeLaunch(PendingLaunch launch) {
        pending.put(launch.clientToken(), launch);
        return Optional.empty();
      }

      @Override
      public void record(String clientToken, Collection<String> taskArns, Instant startedAt) {
        taskArns.forEach(arn -> started.put(arn, startedAt));
        pending.remove(clientToken);
      }

      @Override
      public void forget(Collection<String> taskArns) {
        started.keySet().removeAll(taskArns);
      }

      @Override
      public void confirmed(Collection<String> clientTokens) {
        pending.keySet().removeAll(clientTokens);
      }

      @Override
      public String toString() {
        return "in-memory launch ledger";
      }
    };
  }
}
