package dev.surge.trigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One fleet's item in the control table, as read: the lease (who holds it, until when) and the
 * ledger (the tasks started recently, by ARN).
 *
 * @param holder the instance that holds the lease; empty when it is free
 * @param expiresAt when the lease expires; empty when it is free
 * @param launches task ARN to the time {@code RunTask} returned it
 */
record LeaseItem(
    Optional<String> holder, Optional<Instant> expiresAt, Map<String, Instant> launches) {
  /** Attribute (String): the id of the decision that holds the lease, drawn when it took it. */
  static final String HOLDER = "holder";

  /** Attribute (Number): when the lease expires, epoch milliseconds, by the holder's clock. */
  static final String EXPIRES_AT = "expiresAt";

  /** Attribute (Map of Number): task ARN to when it was started, epoch milliseconds. */
  static final String LAUNCHES = "launches";

  /** Requires every part; copies the ledger. */
  LeaseItem {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(expiresAt, "expiresAt");
    launches = Map.copyOf(launches);
  }

  /** The item of a fleet nobody has decided for yet. */
  static LeaseItem none() {
    return new LeaseItem(Optional.empty(), Optional.empty(), Map.of());
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
    return new LeaseItem(holder, expiresAt, launches);
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
