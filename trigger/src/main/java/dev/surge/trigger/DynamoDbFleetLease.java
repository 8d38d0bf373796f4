package dev.surge.trigger;

import dev.surge.core.retry.Backoff;
import dev.surge.core.trigger.ControlSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One fleet's decision lease and launch ledger on one item of the control table, shared by every
 * instance of the trigger, so that instances deciding at once (Lambda execution environments: an
 * SNS notification, the scheduled reconcile, a retry) take turns and each counts what the others
 * just started.
 *
 * <p>Taking the lease is one conditional {@code UpdateItem}: the decision becomes the holder until
 * now + {@link #TTL} if the lease is free, expired, or already its own (an SDK retry of a take
 * whose answer was lost finds it so), and {@code ReturnValues ALL_NEW} returns the whole item, so
 * the ledger comes with the lease. DynamoDB evaluates the condition and applies the update as one
 * atomic operation (DynamoDB Developer Guide, "Condition expressions"), so two instances cannot
 * both take it. A decision that finds the lease busy retries with jittered backoff for up to the
 * TTL and {@link #WAIT_BEYOND_TTL} more, long enough for the lease of a holder that died to expire,
 * then throws {@link FleetLeaseException} so that Lambda's retry or the next reconcile decides
 * again.
 *
 * <p>While the lease is held, the ledger is read from the item taken: only the holder writes it, so
 * it is current. Before each {@code RunTask} the lease is renewed, on condition that this decision
 * still holds it, so no task is started by a decision that outlasted its lease, and the same write
 * records the call as a {@link PendingLaunch}, so its tasks count for every later decision whatever
 * becomes of the call. The renewal tells the launcher how long the call may take, its retries
 * included: what is left of the lease but {@link #TTL}'s last third, which is kept for writing the
 * outcome. So the lease outlives every {@code RunTask} made under it. The ARNs a {@code RunTask}
 * returns replace its pending entry at once (on the same condition; if the lease was lost meanwhile
 * they are written regardless, since the tasks exist). A call ECS refused leaves nothing; a call
 * whose answer never came, or was a failure that may have started tasks, stays pending until {@code
 * ListTasks} shows tasks it may have started or {@link EcsTaskLauncher#REMEMBERED} has passed. The
 * release removes the holder, and prunes the entries older than that, the tasks {@code
 * DescribeTasks} reported stopped and the pending launches settled.
 *
 * <p>{@link #TTL} comfortably exceeds a decision (a handful of reads and one {@code RunTask}: about
 * a second, a few on a cold start), and it and the wait fit in the function's 60 s timeout, so a
 * waiter still has time to decide after a dead holder's lease expired. Expiry is wall-clock time
 * written by one host and compared by another; the TTL dwarfs their skew.
 *
 * <p>A launch whose ARNs could not be written, or whose function stopped mid-call, is still in the
 * ledger as pending: the next holder counts its tasks until {@code ListTasks} shows them.
 *
 * <p>Each decision holds the lease under an id drawn when it takes the lease, never one drawn when
 * this object was built: with SnapStart, Lambda builds the handler once, snapshots it, and starts
 * every execution environment from that snapshot (Lambda Developer Guide, "Handling uniqueness with
 * Lambda SnapStart"), so an id drawn in the constructor would be every environment's, and "already
 * its own" would let them all in at once. The jitter of the wait is drawn per decision too.
 *
 * <p>Within one instance calls take turns on a lock; {@link #holding} is re-entrant.
 */
public final class DynamoDbFleetLease implements FleetLease, LaunchLedger {
  /** How long a taken lease lasts unless renewed or released. */
  public static final Duration TTL = Duration.ofSeconds(30);

  /** How much longer than the lease's TTL a decision waits for it. */
  public static final Duration WAIT_BEYOND_TTL = Duration.ofSeconds(5);

  /** At most this many ledger entries are removed by one release; the rest go with the next. */
  static final int MAX_REMOVALS = 100;

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbFleetLease.class);
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), Integer.MAX_VALUE);

  private final DynamoDbClient dynamodb;
  private final String table;
  private final String fleet;
  private final Supplier<String> holders;
  private final Clock clock;
  private final Duration ttl;
  private final ReentrantLock lock = new ReentrantLock();
  private Held held; // the lease this instance holds, else null; guarded by lock

  /** What this instance knows while it holds the lease. */
  private static final class Held {
    final String holder;
    Instant expiresAt;
    final Map<String, Instant> launches;
    final Map<String, PendingLaunch> pending;
    final Set<String> forgotten = new LinkedHashSet<>(); // task ARNs to remove at release
    final Set<String> settled = new LinkedHashSet<>(); // pending launches to remove at release

    Held(String holder, Instant expiresAt, LeaseItem taken) {
      this.holder = holder;
      this.expiresAt = expiresAt;
      this.launches = new LinkedHashMap<>(taken.launches());
      this.pending = new LinkedHashMap<>(taken.pending());
    }
  }

  /**
   * The lease on {@code fleet} (see {@link #fleetOf}) in {@code table}, for {@link #TTL}, each
   * decision holding it under a random id of its own.
   */
  public DynamoDbFleetLease(DynamoDbClient dynamodb, String table, String fleet, Clock clock) {
    this(dynamodb, table, fleet, () -> UUID.randomUUID().toString(), clock, TTL);
  }

  /**
   * As the other constructor, for {@code ttl}, each decision holding it under the next id of {@code
   * holders}, which must differ from every id it gave before.
   */
  DynamoDbFleetLease(
      DynamoDbClient dynamodb,
      String table,
      String fleet,
      Supplier<String> holders,
      Clock clock,
      Duration ttl) {
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
    this.table = requireText(table, "table");
    this.fleet = requireText(fleet, "fleet");
    this.holders = Objects.requireNonNull(holders, "holders");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  /**
   * The fleet's key: the cluster's name (also when {@code settings} name it by ARN) and the {@code
   * startedBy} tag, which together select the tasks {@link EcsTaskDirectory} counts.
   */
  public static String fleetOf(EcsSettings settings) {
    String cluster = settings.cluster();
    if (cluster.startsWith("arn:")) {
      cluster = cluster.substring(cluster.lastIndexOf('/') + 1);
    }
    return cluster + "/" + settings.startedBy();
  }

  @Override
  public <T> T holding(Supplier<T> decision) {
    Objects.requireNonNull(decision, "decision");
    lock.lock();
    try {
      if (held != null) {
        return decision.get(); // re-entered: the outer call releases
      }
      held = acquire();
      try {
        return decision.get();
      } finally {
        release();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes the lease for one decision, under an id drawn now, after any snapshot's restore. */
  private Held acquire() {
    String holder = requireText(holders.get(), "holder");
    SplittableRandom jitter = null; // drawn when first needed, like the id
    Instant start = clock.instant();
    Instant giveUp = start.plus(ttl).plus(WAIT_BEYOND_TTL);
    for (int attempt = 0; ; attempt++) {
      Instant now = clock.instant();
      Instant expires = now.plus(ttl);
      try {
        Map<String, AttributeValue> item =
            dynamodb
                .updateItem(
                    b ->
                        b.tableName(table)
                            .key(key())
                            .updateExpression(
                                "SET #h = :me, #e = :expires, #l = if_not_exists(#l, :none),"
                                    + " #p = if_not_exists(#p, :none)")
                            .conditionExpression(
                                "attribute_not_exists(#h) OR attribute_not_exists(#e)"
                                    + " OR #e < :now OR #h = :me")
                            .expressionAttributeNames(
                                Map.of(
                                    "#h", LeaseItem.HOLDER,
                                    "#e", LeaseItem.EXPIRES_AT,
                                    "#l", LeaseItem.LAUNCHES,
                                    "#p", LeaseItem.PENDING))
                            .expressionAttributeValues(
                                Map.of(
                                    ":me", AttributeValue.fromS(holder),
                                    ":expires", millis(expires),
                                    ":now", millis(now),
                                    ":none", AttributeValue.fromM(Map.of())))
                            .returnValues(ReturnValue.ALL_NEW))
                .attributes();
        LeaseItem taken;
        try {
          taken = LeaseItem.of(item);
        } catch (IllegalStateException e) {
          // Not as this class writes it: the lease just taken expires on its own.
          throw new FleetLeaseException(
              "the item of " + where() + " is malformed (" + e.getMessage() + "); delete it", e);
        }
        if (attempt > 0) {
          LOG.info(
              "took the fleet lease on {} after {} ms",
              where(),
              Duration.between(start, clock.instant()).toMillis());
        }
        return new Held(holder, expires, taken);
      } catch (ConditionalCheckFailedException busy) {
        Instant after = clock.instant();
        if (!after.isBefore(giveUp)) {
          throw busy(holder, start);
        }
        if (jitter == null) {
          UUID seed = UUID.randomUUID();
          jitter =
              new SplittableRandom(seed.getMostSignificantBits() ^ seed.getLeastSignificantBits());
        }
        Duration pause = BACKOFF.delay(attempt, jitter);
        Duration left = Duration.between(after, giveUp);
        sleep(pause.compareTo(left) < 0 ? pause : left);
      } catch (SdkException e) {
        throw new FleetLeaseException(
            "cannot take the fleet lease on " + where() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Why the lease could not be taken, naming its holder if a read still can. */
  private FleetLeaseException busy(String holder, Instant since) {
    String state;
    try {
      LeaseItem item =
          LeaseItem.of(
              dynamodb.getItem(b -> b.tableName(table).key(key()).consistentRead(true)).item());
      state =
          item.freeFor(holder, clock.instant())
              ? "was released just as the wait ended"
              : "is held by "
                  + item.holder().orElseThrow()
                  + " until "
                  + item.expiresAt().orElseThrow();
    } catch (RuntimeException e) {
      state = "is held by another instance (" + e.getMessage() + ")";
    }
    return new FleetLeaseException(
        "the fleet lease on "
            + where()
            + " "
            + state
            + "; waited "
            + Duration.between(since, clock.instant()).toMillis()
            + " ms, past its "
            + ttl.toSeconds()
            + " s TTL; no decision was made, so Lambda's retry or the next reconcile decides"
            + " again");
  }

  private void release() {
    Held h = held;
    held = null;
    Instant now = clock.instant();
    Set<String> tasks = new LinkedHashSet<>(h.forgotten);
    tasks.addAll(RecentLaunches.stale(h.launches, now));
    Set<String> launches = new LinkedHashSet<>(h.settled);
    h.pending.values().stream()
        .filter(p -> !RecentLaunches.counts(p.at(), now))
        .forEach(p -> launches.add(p.clientToken()));
    StringBuilder expression = new StringBuilder("REMOVE #h, #e");
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#h", LeaseItem.HOLDER);
    names.put("#e", LeaseItem.EXPIRES_AT);
    int removals = 0;
    for (String arn : tasks) {
      if (removals == MAX_REMOVALS) {
        break;
      }
      names.put("#l", LeaseItem.LAUNCHES);
      names.put("#r" + removals, arn);
      expression.append(", #l.#r").append(removals++);
    }
    for (String token : launches) {
      if (removals == MAX_REMOVALS) {
        break;
      }
      names.put("#p", LeaseItem.PENDING);
      names.put("#r" + removals, token);
      expression.append(", #p.#r").append(removals++);
    }
    try {
      dynamodb.updateItem(
          b ->
              b.tableName(table)
                  .key(key())
                  .updateExpression(expression.toString())
                  .conditionExpression("#h = :me")
                  .expressionAttributeNames(names)
                  .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(h.holder))));
    } catch (ConditionalCheckFailedException e) {
      LOG.warn(
          "the fleet lease on {} was no longer this decision's at release: the decision outlasted"
              + " its {} s TTL, or a retried release had landed already",
          where(),
          ttl.toSeconds());
    } catch (SdkException e) {
      LOG.warn(
          "could not release the fleet lease on {}; it expires at {}: {}",
          where(),
          h.expiresAt,
          e.getMessage());
    }
  }

  /**
   * Renews the lease for a whole TTL, on condition that this decision still holds it, and records
   * {@code launch} as pending in the same write.
   *
   * @return how long the {@code RunTask} may take: what is left of the lease but the last third of
   *     {@link #TTL}, kept for writing its outcome
   * @throws IllegalStateException when this instance does not hold the lease here
   * @throws FleetLeaseException when another instance took it, the table cannot be written, or the
   *     renewal took so long that the call would have less than a third of the TTL
   */
  @Override
  public Optional<Duration> beforeLaunch(PendingLaunch launch) {
    Held h = heldHere("RunTask");
    Instant expires = clock.instant().plus(ttl);
    try {
      dynamodb.updateItem(
          b ->
              b.tableName(table)
                  .key(key())
                  .updateExpression("SET #e = :expires, #p.#t = :launch")
                  .conditionExpression("#h = :me")
                  .expressionAttributeNames(
                      Map.of(
                          "#h", LeaseItem.HOLDER,
                          "#e", LeaseItem.EXPIRES_AT,
                          "#p", LeaseItem.PENDING,
                          "#t", launch.clientToken()))
                  .expressionAttributeValues(
                      Map.of(
                          ":me", AttributeValue.fromS(h.holder),
                          ":expires", millis(expires),
                          ":launch", LeaseItem.pendingValue(launch))));
      h.expiresAt = expires;
      h.pending.put(launch.clientToken(), launch);
    } catch (ConditionalCheckFailedException e) {
      throw new FleetLeaseException(
          "the fleet lease on "
              + where()
              + " passed to another instance before this one launched (the decision outlasted"
              + " its "
              + ttl.toSeconds()
              + " s TTL); nothing was started");
    } catch (SdkException e) {
      // The write may have landed all the same: its entry goes with the release.
      h.settled.add(launch.clientToken());
      throw new FleetLeaseException(
          "cannot renew the fleet lease on "
              + where()
              + " before launching: "
              + e.getMessage()
              + "; nothing was started",
          e);
    }
    Duration call = Duration.between(clock.instant(), expires).minus(outcome());
    if (call.compareTo(outcome()) < 0) {
      h.pending.remove(launch.clientToken());
      h.settled.add(launch.clientToken());
      throw new FleetLeaseException(
          "renewing the fleet lease on "
              + where()
              + " took so long that RunTask would have "
              + Math.max(0, call.toMillis())
              + " ms of it; nothing was started");
    }
    return Optional.of(call);
  }

  /** The end of the lease kept for writing a {@code RunTask}'s outcome: a third of the TTL. */
  private Duration outcome() {
    return ttl.dividedBy(3);
  }

  /**
   * Writes the outcome of {@code RunTask} {@code clientToken} into the ledger: {@code taskArns}
   * replace its pending entry, on condition that this decision holds the lease, else (it passed on
   * while {@code RunTask} ran) regardless, since the tasks exist. A call that started nothing (ECS
   * refused it) is only dropped from the ledger at release. The write must end within the part of
   * the lease kept for it.
   *
   * @throws IllegalStateException when this instance does not hold the lease here
   * @throws FleetLeaseException when the table cannot be written; the launch then stays pending
   */
  @Override
  public void record(String clientToken, Collection<String> taskArns, Instant startedAt) {
    Held h = heldHere("recording launches");
    if (taskArns.isEmpty()) {
      h.pending.remove(clientToken);
      h.settled.add(clientToken);
      return;
    }
    List<String> arns = List.copyOf(taskArns);
    arns.forEach(arn -> h.launches.put(arn, startedAt));
    StringBuilder expression = new StringBuilder("SET ");
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#l", LeaseItem.LAUNCHES);
    names.put("#p", LeaseItem.PENDING);
    names.put("#t", clientToken);
    for (int i = 0; i < arns.size(); i++) {
      names.put("#a" + i, arns.get(i));
      expression.append(i == 0 ? "" : ", ").append("#l.#a").append(i).append(" = :at");
    }
    expression.append(" REMOVE #p.#t");
    UpdateItemRequest.Builder write =
        UpdateItemRequest.builder()
            .tableName(table)
            .key(key())
            .updateExpression(expression.toString())
            .overrideConfiguration(o -> o.apiCallTimeout(outcome()));
    try {
      Map<String, String> conditioned = new LinkedHashMap<>(names);
      conditioned.put("#h", LeaseItem.HOLDER);
      dynamodb.updateItem(
          write
              .conditionExpression("#h = :me")
              .expressionAttributeNames(conditioned)
              .expressionAttributeValues(
                  Map.of(":at", millis(startedAt), ":me", AttributeValue.fromS(h.holder)))
              .build());
    } catch (ConditionalCheckFailedException lost) {
      LOG.warn(
          "the fleet lease on {} passed to another instance while RunTask ran; recording its {}"
              + " task(s) regardless",
          where(),
          arns.size());
      try {
        dynamodb.updateItem(
            write
                .conditionExpression(null)
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":at", millis(startedAt)))
                .build());
      } catch (SdkException e) {
        throw unrecorded(arns, e);
      }
    } catch (SdkException e) {
      throw unrecorded(arns, e);
    }
    h.pending.remove(clientToken);
  }

  private FleetLeaseException unrecorded(List<String> arns, SdkException e) {
    return new FleetLeaseException(
        "started "
            + arns.size()
            + " task(s) but could not record them in the ledger of "
            + where()
            + ": "
            + e.getMessage()
            + "; their launch stays pending there, so they count until ListTasks shows them",
        e);
  }

  /**
   * The ledger's recent launches: while this instance holds the lease, as taken with it and written
   * since; otherwise read from the table (a strongly consistent read).
   *
   * @throws FleetLeaseException when the table cannot be read
   */
  @Override
  public Map<String, Instant> recent(Instant now) {
    if (lock.isHeldByCurrentThread() && held != null) {
      return RecentLaunches.recent(held.launches, now);
    }
    try {
      return RecentLaunches.recent(
          LeaseItem.of(
                  dynamodb.getItem(b -> b.tableName(table).key(key()).consistentRead(true)).item())
              .launches(),
          now);
    } catch (SdkException e) {
      throw new FleetLeaseException(
          "cannot read the launch ledger of " + where() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The ledger's pending launches: while this instance holds the lease, as taken with it and
   * written since; otherwise read from the table (a strongly consistent read).
   *
   * @throws FleetLeaseException when the table cannot be read
   */
  @Override
  public List<PendingLaunch> pending(Instant now) {
    Collection<PendingLaunch> all;
    if (lock.isHeldByCurrentThread() && held != null) {
      all = held.pending.values();
    } else {
      try {
        all =
            LeaseItem.of(
                    dynamodb
                        .getItem(b -> b.tableName(table).key(key()).consistentRead(true))
                        .item())
                .pending()
                .values();
      } catch (SdkException e) {
        throw new FleetLeaseException(
            "cannot read the launch ledger of " + where() + ": " + e.getMessage(), e);
      }
    }
    return RecentLaunches.oldestFirst(
        all.stream().filter(p -> RecentLaunches.counts(p.at(), now)).toList());
  }

  /** While this instance holds the lease, drops the launches from the ledger at release. */
  @Override
  public void confirmed(Collection<String> clientTokens) {
    if (lock.isHeldByCurrentThread() && held != null) {
      clientTokens.forEach(
          token -> {
            if (held.pending.remove(token) != null) {
              held.settled.add(token);
            }
          });
    }
  }

  /** While this instance holds the lease, drops the tasks from the ledger at release. */
  @Override
  public void forget(Collection<String> taskArns) {
    if (lock.isHeldByCurrentThread() && held != null) {
      taskArns.forEach(
          arn -> {
            if (held.launches.remove(arn) != null) {
              held.forgotten.add(arn);
            }
          });
    }
  }

  private Held heldHere(String what) {
    if (!lock.isHeldByCurrentThread() || held == null) {
      throw new IllegalStateException(
          "no "
              + what
              + " outside the fleet lease on "
              + where()
              + ": the other instances would not see the tasks");
    }
    return held;
  }

  private Map<String, AttributeValue> key() {
    return Map.of(ControlSchema.KEY, AttributeValue.fromS(fleet));
  }

  private String where() {
    return "fleet " + fleet + " (table " + table + ")";
  }

  private static AttributeValue millis(Instant at) {
    return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetLeaseException("interrupted while waiting for the fleet lease", e);
    }
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  @Override
  public String toString() {
    return "fleet lease on " + where() + ", each decision holding it under an id of its own";
  }
}
