package dev.surge.core.trigger;

/**
 * The trigger function's environment variables that say where and how to start tasks: the one
 * contract between the stack that sets them ({@code infra}'s {@code TriggerFunction}) and the
 * function that reads them ({@code trigger}'s {@code EcsSettings}). The scaling and alarm variables
 * are {@link TriggerSettings}'s.
 */
public final class EcsVariables {
  /** ECS cluster name or ARN. */
  public static final String CLUSTER = "SURGE_CLUSTER";

  /** Task definition family ({@code family} or {@code family:revision}) or ARN. */
  public static final String TASK_DEFINITION = "SURGE_TASK_DEFINITION";

  /** The worker container's name, whose exit code a task reports. */
  public static final String CONTAINER = "SURGE_CONTAINER";

  /** Comma-separated subnet ids of the tasks' network interfaces (required). */
  public static final String SUBNETS = "SURGE_SUBNETS";

  /** Comma-separated security group ids (none means the VPC's default group). */
  public static final String SECURITY_GROUPS = "SURGE_SECURITY_GROUPS";

  /** {@code ENABLED} (default) or {@code DISABLED}: a public IP for each task. */
  public static final String ASSIGN_PUBLIC_IP = "SURGE_ASSIGN_PUBLIC_IP";

  /** The {@code startedBy} tag set on every task, and the filter that counts them. */
  public static final String STARTED_BY = "SURGE_STARTED_BY";

  /** The default {@code startedBy} tag. */
  public static final String DEFAULT_STARTED_BY = "surge";

  private EcsVariables() {}
}
