package dev.surge.trigger;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link EcsTaskLauncher} remembers of the tasks it started: ECS's {@code ListTasks} is
 * eventually consistent, so a task just started may be missing from it for a while, and a decision
 * that trusted the listing alone would start it again. The launcher counts the ledger's recent
 * tasks the listing does not show yet, unless {@code DescribeTasks} says they stopped.
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
   * Called before each {@code RunTask}: throws when what it would start could not be recorded (the
   * DynamoDB ledger: this instance does not hold the fleet's lease), so nothing is started.
   *
   * @throws RuntimeException with a message that says why no task may be started now
   */
  default void beforeLaunch() {}

  /**
   * Records tasks {@code RunTask} just started, at {@code startedAt}.
   *
   * @throws RuntimeException when they could not be recorded; the tasks were started regardless
   */
  void record(Collection<String> taskArns, Instant startedAt);

  /** Forgets tasks {@code DescribeTasks} reports stopped: they no longer count. */
  void forget(Collection<String> taskArns);

  /** A ledger in this launcher's memory: what one instance started. */
  static LaunchLedger inMemory() {
    return new LaunchLedger() {
      private final Map<String, Instant> started = new ConcurrentHashMap<>();

      @Override
      public Map<String, Instant> recent(Instant now) {
        started.keySet().removeAll(RecentLaunches.stale(started, now));
        return RecentLaunches.recent(started, now);
      }

      @Override
      public void record(Collection<String> taskArns, Instant startedAt) {
        taskArns.forEach(arn -> started.put(arn, startedAt));
      }

      @Override
      public void forget(Collection<String> taskArns) {
        started.keySet().removeAll(taskArns);
      }

      @Override
      public String toString() {
        return "in-memory launch ledger";
      }
    };
  }
}
