package dev.surge.local.topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A local topic's identity and delivery policy.
 *
 * @param name the topic's name (SNS: 1-256 letters, digits, hyphens and underscores)
 * @param region the region written into its ARN
 * @param account the account id written into its ARN (12 digits)
 * @param policy how failed deliveries are retried
 */
public record TopicConfig(String name, String region, String account, DeliveryPolicy policy) {

  /** The account id of every local resource's ARN. */
  public static final String LOCAL_ACCOUNT = "000000000000";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  /** Validates the name and the account id as SNS would. */
  public TopicConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(policy, "policy");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "topic name '" + name + "' must be 1-256 letters, digits, hyphens or underscores");
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    if (!ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException("account must be 12 digits, was '" + account + "'");
    }
  }

  /** A local topic: account {@link #LOCAL_ACCOUNT}, SNS's policy for AWS-managed endpoints. */
  public static TopicConfig local(String name, String region) {
    return new TopicConfig(name, region, LOCAL_ACCOUNT, DeliveryPolicy.snsAwsManaged());
  }

  /** A copy with another delivery policy. */
  public TopicConfig withPolicy(DeliveryPolicy value) {
    return new TopicConfig(name, region, account, value);
  }

  /** {@code arn:aws:sns:<region>:<account>:<name>}. */
  public String arn() {
    return "arn:aws:sns:" + region + ":" + account + ":" + name;
  }
}
