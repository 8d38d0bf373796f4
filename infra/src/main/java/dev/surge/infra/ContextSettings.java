package dev.surge.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the stack's props from CDK context ({@code -c key=value} on the command line, or {@code
 * context} in {@code cdk.json}). Values from the command line arrive as strings, those from {@code
 * cdk.json} as JSON values; both are accepted.
 */
final class ContextSettings {
  static final String PREFIX = "prefix";
  static final String LAMBDA_JAR = "lambdaJar";
  static final String IMAGE_TAG = "imageTag";
  static final String VPC_ID = "vpcId";
  static final String SUBNET_IDS = "subnetIds";
  static final String AVAILABILITY_ZONES = "availabilityZones";
  static final String SECURITY_GROUP_ID = "securityGroupId";
  static final String ASSIGN_PUBLIC_IP = "assignPublicIp";
  static final String MAX_RECEIVE_COUNT = "maxReceiveCount";
  static final String ALARM_THRESHOLD = "alarmThreshold";
  static final String POLICY = "policy";
  static final String MESSAGES_PER_TASK = "messagesPerTask";
  static final String MAX_TASKS = "maxTasks";
  static final String TASKS = "tasks";
  static final String ACTIVATION = "activation";
  static final String RESERVED_CONCURRENCY = "reservedConcurrency";

  /** Where module {@code trigger} puts its shaded jar, relative to the repository root. */
  static final Path DEFAULT_LAMBDA_JAR = Path.of("trigger", "target", "surge-trigger-lambda.jar");

  // The prefix lands in every name; these characters are valid in all of them and in stack names.
  private static final Pattern PREFIX_SHAPE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,19}");

  private final Function<String, Object> context;
  private final Path workingDirectory;

  /**
   * @param context looks a key up; {@code null} when absent (as {@code Node.tryGetContext})
   * @param workingDirectory where relative paths are resolved (the CDK CLI runs the app in the
   *     directory of {@code cdk.json})
   */
  ContextSettings(Function<String, Object> context, Path workingDirectory) {
    this.context = context;
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
  }

  /** The props, or an {@link IllegalArgumentException} that names the context key at fault. */
  SurgeStackProps read() {
    String prefix = string(PREFIX).orElse("");
    if (!prefix.isEmpty() && !PREFIX_SHAPE.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          PREFIX
              + " '"
              + prefix
              + "' is not valid: start with a letter, then up to 19 letters, digits or '-'");
    }
    SurgeStackProps.Builder builder =
        SurgeStackProps.builder(lambdaJar())
            .prefix(prefix)
            .network(network())
            .scaling(scaling())
            .imageTag(string(IMAGE_TAG).orElse(SurgeStackProps.DEFAULT_IMAGE_TAG))
            .maxReceiveCount(
                integer(MAX_RECEIVE_COUNT).orElse(SurgeStackProps.DEFAULT_MAX_RECEIVE_COUNT))
            .alarmThreshold(
                integer(ALARM_THRESHOLD).orElse(SurgeStackProps.DEFAULT_ALARM_THRESHOLD));
    integer(RESERVED_CONCURRENCY).ifPresent(builder::reservedConcurrency);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid context: " + e.getMessage(), e);
    }
  }

  private Path lambdaJar() {
    Path jar =
        string(LAMBDA_JAR)
            .map(p -> workingDirectory.resolve(p).normalize())
            .orElseGet(() -> repositoryRoot().resolve(DEFAULT_LAMBDA_JAR));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "the trigger function's jar "
              + jar
              + " does not exist: build it (mvn -B -pl trigger -am package)"
              + " or pass -c "
              + LAMBDA_JAR
              + "=PATH");
    }
    return jar;
  }

  /** The nearest directory, from the working directory up, that holds {@code infra/cdk.json}. */
  private Path repositoryRoot() {
    for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra").resolve("cdk.json"))) {
        return dir;
      }
    }
    return workingDirectory;
  }

  private NetworkProps network() {
    Optional<String> vpcId = string(VPC_ID);
    if (vpcId.isEmpty()) {
      for (String key : List.of(SUBNET_IDS, AVAILABILITY_ZONES, SECURITY_GROUP_ID)) {
        if (string(key).isPresent()) {
          throw new IllegalArgumentException(
              key
                  + " is given without "
                  + VPC_ID
                  + "; an existing VPC needs all three of "
                  + VPC_ID
                  + ", "
                  + SUBNET_IDS
                  + " and "
                  + AVAILABILITY_ZONES);
        }
      }
      return NetworkProps.NewVpc.defaults();
    }
    try {
      return new NetworkProps.ExistingVpc(
          vpcId.get(),
          list(SUBNET_IDS),
          list(AVAILABILITY_ZONES),
          string(SECURITY_GROUP_ID),
          bool(ASSIGN_PUBLIC_IP).orElse(true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid existing VPC context: " + e.getMessage(), e);
    }
  }

  private ScalingProps scaling() {
    ScalingProps d = ScalingProps.defaults();
    try {
      return new ScalingProps(
          string(POLICY).orElse(d.policy()),
          integer(MESSAGES_PER_TASK).orElse(d.messagesPerTask()),
          integer(MAX_TASKS).orElse(d.maxTasks()),
          integer(TASKS).orElse(d.fixedTasks()),
          d.startedBy(),
          string(ACTIVATION).orElse(d.activation()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid scaling context: " + e.getMessage(), e);
    }
  }

  private Optional<String> string(String key) {
    Object value = context.apply(key);
    if (value == null) {
      return Optional.empty();
    }
    String text = value.toString().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private Optional<Integer> integer(String key) {
    return string(key)
        .map(
            text -> {
              try {
                return new java.math.BigDecimal(text).intValueExact();
              } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException(
                    key + " '" + text + "' is not a whole number", e);
              }
            });
  }

  private Optional<Boolean> bool(String key) {
    return string(key)
        .map(
            text ->
                switch (text.toLowerCase(Locale.ROOT)) {
                  case "true", "yes", "enabled" -> true;
                  case "false", "no", "disabled" -> false;
                  default ->
                      throw new IllegalArgumentException(
                          key + " '" + text + "' is not true or false");
                });
  }

  private List<String> list(String key) {
    Object value = context.apply(key);
    if (value instanceof List<?> items) {
      return items.stream().map(Object::toString).map(String::trim).toList();
    }
    return string(key)
        .map(text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()))
        .map(s -> s.toList())
        .orElse(List.of());
  }
}
