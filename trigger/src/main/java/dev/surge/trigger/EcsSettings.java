package dev.surge.trigger;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.trigger.EcsVariables;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how the trigger starts ECS tasks: what {@code RunTask} needs beyond the count. Read
 * from the function's environment ({@link EcsVariables}); the seed's names are the defaults, the
 * subnets have none.
 *
 * @param cluster cluster name or ARN
 * @param taskDefinition task definition family ({@code family} or {@code family:revision}) or ARN
 * @param container the worker container's name, whose exit code a task reports
 * @param subnets subnet ids of the tasks' network interfaces (1 to 16)
 * @param securityGroups security group ids (0 to 5; none means the VPC's default group)
 * @param assignPublicIp give each task a public IP (needed in a public subnet without NAT, to pull
 *     the image and reach the APIs)
 * @param startedBy the {@code startedBy} tag set on every task, and the filter that counts them
 */
public record EcsSettings(
    String cluster,
    String taskDefinition,
    String container,
    List<String> subnets,
    List<String> securityGroups,
    boolean assignPublicIp,
    String startedBy) {

  // RunTask accepts up to 36 letters, digits, '-', '/' and '_'.
  private static final Pattern STARTED_BY_FORMAT = Pattern.compile("[A-Za-z0-9_/-]{1,36}");

  /** Validates the parts against RunTask's limits; copies the lists. */
  public EcsSettings {
    requireText(cluster, "cluster");
    requireText(taskDefinition, "taskDefinition");
    requireText(container, "container");
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
    if (subnets.isEmpty() || subnets.size() > 16) {
      throw new IllegalArgumentException("1 to 16 subnets are needed, got " + subnets.size());
    }
    if (securityGroups.size() > 5) {
      throw new IllegalArgumentException(
          "at most 5 security groups are allowed, got " + securityGroups.size());
    }
    Objects.requireNonNull(startedBy, "startedBy");
    if (!STARTED_BY_FORMAT.matcher(startedBy).matches()) {
      throw new IllegalArgumentException(
          "startedBy '" + startedBy + "' must be 1 to 36 letters, digits, '-', '/' or '_'");
    }
  }

  /**
   * Reads the {@code SURGE_*} variables above.
   *
   * @throws ConfigException naming the variable that is missing or wrong
   */
  public static EcsSettings fromEnvironment(Env env) {
    ResourceNames seed = ResourceNames.seed();
    List<String> subnets = list(env, EcsVariables.SUBNETS);
    if (subnets.isEmpty()) {
      throw new ConfigException(
          EcsVariables.SUBNETS
              + " is not set; set it to the comma-separated ids of the subnets the tasks run in,"
              + " e.g. subnet-0a1b2c3d,subnet-4e5f6a7b");
    }
    String ip = env.string(EcsVariables.ASSIGN_PUBLIC_IP, "ENABLED").toUpperCase(Locale.ROOT);
    if (!ip.equals("ENABLED") && !ip.equals("DISABLED")) {
      throw new ConfigException(
          EcsVariables.ASSIGN_PUBLIC_IP + "='" + ip + "' is not valid; use ENABLED or DISABLED");
    }
    List<String> groups = list(env, EcsVariables.SECURITY_GROUPS);
    if (subnets.size() > 16) {
      throw new ConfigException(
          EcsVariables.SUBNETS + " names " + subnets.size() + " subnets; use 1 to 16");
    }
    if (groups.size() > 5) {
      throw new ConfigException(
          EcsVariables.SECURITY_GROUPS
              + " names "
              + groups.size()
              + " security groups; use at most 5");
    }
    String startedBy = env.string(EcsVariables.STARTED_BY, EcsVariables.DEFAULT_STARTED_BY);
    if (!STARTED_BY_FORMAT.matcher(startedBy).matches()) {
      throw new ConfigException(
          EcsVariables.STARTED_BY
              + "='"
              + startedBy
              + "' is not valid; use 1 to 36 letters, digits, '-', '/' or '_'");
    }
    return new EcsSettings(
        env.string(EcsVariables.CLUSTER, seed.cluster()),
        env.string(EcsVariables.TASK_DEFINITION, seed.taskFamily()),
        env.string(EcsVariables.CONTAINER, seed.container()),
        subnets,
        groups,
        ip.equals("ENABLED"),
        startedBy);
  }

  private static List<String> list(Env env, String name) {
    return env.get(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
