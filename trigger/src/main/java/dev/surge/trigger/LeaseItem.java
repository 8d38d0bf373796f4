package dev.surge.trigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One fleet's item in the control table, as read: the lease (who holds it, until when) and the
 * ledger (the tasks started recently, by ARN, and the launches whose tasks nobody can name yet).
 *
 * @param holder the decision that holds the lease; empty when it is free
 * @param expiresAt when the lease expires; empty when it is free
 * @param launches task ARN to the time {@code RunTask} returned it
 * @param pending {@code clientToken} to the launch written in before its {@code RunTask}
 */
record LeaseItem(
    Optional<String> holder,
    Optional<Instant> expiresAt,
    Map<String, Instant> launches,
    Map<String, PendingLaunch> pending) {
  /** Attribute (String): the id of the decision that holds the lease, drawn when it took it. */
  static final String HOLDER = "holder";

  /** Attribute (Number): when the lease expires, epoch milliseconds, by the holder's clock. */
  static final String EXPIRES_AT = "expiresAt";

  /** Attribute (Map of Number): task ARN to when it was started, epoch milliseconds. */
  static final String LAUNCHES = "launches";

  /**
   * Attribute (Map of Map): {@code clientToken} to a {@code RunTask} not answered yet, or answered
   * with a failure that may have started tasks: {@value #COUNT} (Number) the tasks it asked for,
   * {@value #AT} (Number) when it was made, epoch milliseconds.
   */
  static final String PENDING = "pending";

  static final String COUNT = "count";
  static final String AT = "at";

  /** Requires every part; copies the ledger. */
  LeaseItem {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(expiresAt, "expiresAt");
    launches = Map.copyOf(launches);
    pending = Map.copyOf(pending);
  }

  /** An item without pending launches. */
  LeaseItem(Optional<String> holder, Optional<Instant> expiresAt, Map<String, Instant> launches) {
    this(holder, expiresAt, launches, Map.of());
  }

  /** The item of a fleet nobody has decided for yet. */
  static LeaseItem none() {
    return new LeaseItem(Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }

  /** {@code launch} as {@link #PENDING} holds it. */
  static AttributeValue pendingValue(PendingLaunch launch) {
    return AttributeValue.fromM(
        Map.of(
            COUNT, AttributeValue.fromN(Integer.toString(launch.count())),
            AT, AttributeValue.fromN(Long.toString(launch.at().toEpochMilli()))));
  }

  /**
   * Reads {@code item} (an empty map: no item).
   *
   * @throws IllegalStateException naming the attribute that is not as this class writes it
   */
  static LeaseItem of(Map<String, AttributeValue> item) {
    Optional<String> holder = Optional.ofNullable(item.get(HOLDER)).map(v -> text(HOLDER, v));
    Optional<Instant> expiresAt =
        Optional.ofNullable(item.get(EXPIRES_AT)).map(v -> millis(EXPIRES_AT, v));
    Map<String, Instant> launches = new LinkedHashMap<>();
    AttributeValue ledger = item.get(LAUNCHES);
    if (ledger != null) {
      if (!ledger.hasM()) {
        throw new IllegalStateException(LAUNCHES + " is not a map: " + ledger);
      }
      ledger.m().forEach((arn, at) -> launches.put(arn, millis(LAUNCHES + "." + arn, at)));
    }
    Map<String, PendingLaunch> pending = new LinkedHashMap<>();
    AttributeValue calls = item.get(PENDING);
    if (calls != null) {
      if (!calls.hasM()) {
        throw new IllegalStateException(PENDING + " is not a map: " + calls);
      }
      calls.m().forEach((token, v) -> pending.put(token, pending(token, v)));
    }
    return new LeaseItem(holder, expiresAt, launches, pending);
  }

  private static PendingLaunch pending(String token, AttributeValue v) {
    String name = PENDING + "." + token;
    if (!v.hasM() || v.m().get(COUNT) == null || v.m().get(AT) == null) {
      throw new IllegalStateException(name + " is not a map of " + COUNT + " and " + AT + ": " + v);
    }
    try {
      int count = Integer.parseInt(Objects.requireNonNull(v.m().get(COUNT).n()));
      return new PendingLaunch(token, count, millis(name + "." + AT, v.m().get(AT)));
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalStateException(name + " is not a launch: " + v, e);
    }
  }

  /**
   * Whether {@code candidate} may take the lease at {@code now}: it is free (never taken, or
   * released), expired, or already {@code candidate}'s. The same test as the acquiring write's
   * condition, which DynamoDB evaluates atomically; this one only explains a refusal.
   */
  boolean freeFor(String candidate, Instant now) {
    return holder.isEmpty()
        || expiresAt.isEmpty()
        || expiresAt.get().isBefore(now)
        || holder.get().equals(candidate);
  }

  private static String text(String name, AttributeValue v) {
    if (v.s() == null) {
      throw new IllegalStateException(name + " is not a string: " + v);
    }
    return v.s();
  }

  private static Instant millis(String name, AttributeValue v) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(Objects.requireNonNull(v.n())));
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalStateException(name + " is not a number of epoch milliseconds: " + v, e);
    }
  }
}
