package dev.surge.local.topic;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a topic retries a delivery that failed, in SNS's four phases: immediate retries (no delay),
 * pre-backoff retries ({@code minDelay} apart), backoff retries (delays growing exponentially from
 * {@code minDelay} to {@code maxDelay}), post-backoff retries ({@code maxDelay} apart). After the
 * first attempt come at most {@link #retries()} retries, then the delivery is given up.
 *
 * <p>SNS also jitters its delays; this policy does not, because a local topic has one or two
 * subscribers and no herd of retries to spread, and exact delays keep runs reproducible.
 *
 * @param immediateRetries retries without delay
 * @param preBackoffRetries retries {@code minDelay} apart
 * @param minDelay the delay of the pre-backoff phase and the first of the backoff phase
 * @param backoffRetries retries whose delays grow from {@code minDelay} to {@code maxDelay}
 * @param maxDelay the last delay of the backoff phase and that of the post-backoff phase
 * @param postBackoffRetries retries {@code maxDelay} apart
 */
public record DeliveryPolicy(
    int immediateRetries,
    int preBackoffRetries,
    Duration minDelay,
    int backoffRetries,
    Duration maxDelay,
    int postBackoffRetries) {

  /** Counts are never negative; {@code 0 <= minDelay <= maxDelay}. */
  public DeliveryPolicy {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (immediateRetries < 0 || preBackoffRetries < 0 || backoffRetries < 0) {
      throw new IllegalArgumentException("retry counts must be >= 0");
    }
    if (postBackoffRetries < 0) {
      throw new IllegalArgumentException("retry counts must be >= 0");
    }
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= minDelay <= maxDelay, got " + minDelay + ", " + maxDelay);
    }
  }

  /**
   * SNS's policy for AWS-managed endpoints (AWS Lambda, Amazon SQS), which cannot be changed: 3
   * immediate retries, 2 retries 1 s apart, 10 retries backing off exponentially from 1 s to 20 s,
   * then 100,000 retries 20 s apart; 100,015 retries over about 23 days ("Amazon SNS message
   * delivery retries", Amazon SNS Developer Guide).
   */
  public static DeliveryPolicy snsAwsManaged() {
    return new DeliveryPolicy(3, 2, Duration.ofSeconds(1), 10, Duration.ofSeconds(20), 100_000);
  }

  /**
   * Lambda's own retries of an asynchronous invocation whose function returned an error: two more
   * attempts, one minute and then two minutes later ("How Lambda handles errors and retries with
   * asynchronous invocation", AWS Lambda Developer Guide). In AWS these, not SNS's, apply to an
   * exception thrown by a function that SNS invoked; offered for a local chain that wants that
   * behaviour instead.
   */
  public static DeliveryPolicy lambdaAsyncFunctionErrors() {
    return new DeliveryPolicy(0, 0, Duration.ofMinutes(1), 2, Duration.ofMinutes(2), 0);
  }

  /** No retry: the first failure gives up. */
  public static DeliveryPolicy none() {
    return new DeliveryPolicy(0, 0, Duration.ZERO, 0, Duration.ZERO, 0);
  }

  /**
   * The same phases with every delay multiplied by {@code factor}: {@code 0.001} turns seconds into
   * milliseconds, so a demo or a test runs the policy's shape quickly.
   */
  public DeliveryPolicy scaled(double factor) {
    if (!Double.isFinite(factor) || factor < 0) {
      throw new IllegalArgumentException("factor must be a finite number >= 0, was " + factor);
    }
    return new DeliveryPolicy(
        immediateRetries,
        preBackoffRetries,
        scale(minDelay, factor),
        backoffRetries,
        scale(maxDelay, factor),
        postBackoffRetries);
  }

  /** The same policy with at most {@code retries} retries, the later phases cut first. */
  public DeliveryPolicy limitedTo(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, was " + retries);
    }
    int left = retries;
    int immediate = Math.min(immediateRetries, left);
    left -= immediate;
    int pre = Math.min(preBackoffRetries, left);
    left -= pre;
    int backoff = Math.min(backoffRetries, left);
    left -= backoff;
    int post = Math.min(postBackoffRetries, left);
    return new DeliveryPolicy(immediate, pre, minDelay, backoff, maxDelay, post);
  }

  /** Retries after the first attempt, all phases together. */
  public long retries() {
    return (long) immediateRetries + preBackoffRetries + backoffRetries + postBackoffRetries;
  }

  /**
   * The wait before the next attempt after {@code attempt} attempts failed, or empty when {@code
   * attempt} was the last one.
   *
   * @param attempt attempts made so far, {@code >= 1}
   */
  public Optional<Duration> delayAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    long retry = attempt; // the retry about to be made, 1-based
    if (retry <= immediateRetries) {
      return Optional.of(Duration.ZERO);
    }
    retry -= immediateRetries;
    if (retry <= preBackoffRetries) {
      return Optional.of(minDelay);
    }
    retry -= preBackoffRetries;
    if (retry <= backoffRetries) {
      return Optional.of(backoffDelay((int) retry - 1));
    }
    retry -= backoffRetries;
    if (retry <= postBackoffRetries) {
      return Optional.of(maxDelay);
    }
    return Optional.empty();
  }

  // Step k of n grows geometrically: minDelay * (maxDelay / minDelay)^(k / (n - 1)).
  private Duration backoffDelay(int step) {
    if (backoffRetries == 1 || minDelay.isZero()) {
      return backoffRetries == 1 ? minDelay : scale(maxDelay, step / (backoffRetries - 1.0));
    }
    double ratio = (double) maxDelay.toNanos() / minDelay.toNanos();
    double nanos = minDelay.toNanos() * Math.pow(ratio, step / (backoffRetries - 1.0));
    return Duration.ofNanos(Math.round(nanos));
  }

  private static Duration scale(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }
}
