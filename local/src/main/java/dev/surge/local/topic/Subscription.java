package dev.surge.local.topic;

import java.util.Objects;

/**
 * One subscriber's subscription to a local topic.
 *
 * @param name the subscriber's name (for a function, the function's name), used in events and logs
 * @param arn the subscription's ARN: the topic's ARN, a colon and a UUID, as SNS forms it
 */
public record Subscription(String name, String arn) {
  /** Requires both parts, non-blank. */
  public Subscription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arn, "arn");
    if (name.isBlank() || arn.isBlank()) {
      throw new IllegalArgumentException("name and arn must not be blank");
    }
  }
}
