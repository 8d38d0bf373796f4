package dev.surge.infra;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmSpec;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the Surge stack is built from. {@link #builder(Path)} starts from the seed's names and
 * the defaults below; each one can be overridden.
 *
 * @param stackName the CloudFormation stack name ({@code Surge}, or {@code <prefix>Surge})
 * @param names the name of every named resource
 * @param network where the worker tasks run
 * @param scaling the trigger function's scaling policy
 * @param lambdaJar the trigger's shaded jar, uploaded as the function's code
 * @param imageTag the tag of the worker image in the stack's ECR repository
 * @param maxReceiveCount receives before a message moves to the dead-letter queue
 * @param alarmThreshold visible messages above which the alarm fires
 * @param reservedConcurrency the function's reserved concurrency; empty = unreserved
 */
public record SurgeStackProps(
    String stackName,
    ResourceNames names,
    NetworkProps network,
    ScalingProps scaling,
    Path lambdaJar,
    String imageTag,
    int maxReceiveCount,
    int alarmThreshold,
    Optional<Integer> reservedConcurrency) {

  /** The seed's stack name. */
  public static final String STACK_NAME = "Surge";

  /** The default image tag. */
  public static final String DEFAULT_IMAGE_TAG = "latest";

  /** The default number of receives before a message is dead-lettered. */
  public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;

  /** The seed's alarm threshold: more than 100 visible messages. */
  public static final int DEFAULT_ALARM_THRESHOLD = (int) AlarmSpec.SEED_THRESHOLD;

  // CloudFormation: a letter, then letters, digits and hyphens, 128 at most.
  private static final Pattern STACK = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
  // ECR image tags.
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /** Validates what the services would otherwise reject at deploy time. */
  public SurgeStackProps {
    if (stackName == null || !STACK.matcher(stackName).matches()) {
      throw new IllegalArgumentException(
          "stack name '" + stackName + "' is not valid: start with a letter; letters, digits, '-'");
    }
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(lambdaJar, "lambdaJar");
    if (imageTag == null || !TAG.matcher(imageTag).matches()) {
      throw new IllegalArgumentException("image tag '" + imageTag + "' is not a valid ECR tag");
    }
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be 1..1000, was " + maxReceiveCount);
    }
    if (alarmThreshold < 0) {
      throw new IllegalArgumentException("alarmThreshold must be >= 0, was " + alarmThreshold);
    }
    Objects.requireNonNull(reservedConcurrency, "reservedConcurrency");
    reservedConcurrency.ifPresent(
        c -> {
          if (c < 0) {
            throw new IllegalArgumentException("reservedConcurrency must be >= 0, was " + c);
          }
        });
  }

  /** A builder with the seed's names and every default; only the function's code is required. */
  public static Builder builder(Path lambdaJar) {
    return new Builder(lambdaJar);
  }

  /** Builds {@link SurgeStackProps}; every setter returns the builder. */
  public static final class Builder {
    private String stackName = STACK_NAME;
    private ResourceNames names = ResourceNames.seed();
    private NetworkProps network = NetworkProps.NewVpc.defaults();
    private ScalingProps scaling = ScalingProps.defaults();
    private final Path lambdaJar;
    private String imageTag = DEFAULT_IMAGE_TAG;
    private int maxReceiveCount = DEFAULT_MAX_RECEIVE_COUNT;
    private int alarmThreshold = DEFAULT_ALARM_THRESHOLD;
    private Optional<Integer> reservedConcurrency = Optional.empty();

    private Builder(Path lambdaJar) {
      this.lambdaJar = Objects.requireNonNull(lambdaJar, "lambdaJar");
    }

    /**
     * Puts {@code prefix} in front of every resource name and of the stack name, so a second
     * pipeline can live beside the first in one account and region.
     */
    public Builder prefix(String prefix) {
      this.names = ResourceNames.seed().withPrefix(prefix);
      this.stackName = prefix + STACK_NAME;
      return this;
    }

    /** Overrides the stack name. */
    public Builder stackName(String value) {
      this.stackName = value;
      return this;
    }

    /** Overrides every resource name. */
    public Builder names(ResourceNames value) {
      this.names = value;
      return this;
    }

    /** Where the tasks run. */
    public Builder network(NetworkProps value) {
      this.network = value;
      return this;
    }

    /** The trigger's scaling policy. */
    public Builder scaling(ScalingProps value) {
      this.scaling = value;
      return this;
    }

    /** The worker image's tag. */
    public Builder imageTag(String value) {
      this.imageTag = value;
      return this;
    }

    /** Receives before a message is dead-lettered. */
    public Builder maxReceiveCount(int value) {
      this.maxReceiveCount = value;
      return this;
    }

    /** Visible messages above which the alarm fires. */
    public Builder alarmThreshold(int value) {
      this.alarmThreshold = value;
      return this;
    }

    /** The function's reserved concurrency. */
    public Builder reservedConcurrency(int value) {
      this.reservedConcurrency = Optional.of(value);
      return this;
    }

    /** The validated props. */
    public SurgeStackProps build() {
      return new SurgeStackProps(
          stackName,
          names,
          network,
          scaling,
          lambdaJar,
          imageTag,
          maxReceiveCount,
          alarmThreshold,
          reservedConcurrency);
    }
  }
}
