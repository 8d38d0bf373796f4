package dev.surge.infra;

/**
 * The trigger function's environment variables that say where to start tasks. The scaling and alarm
 * variables are {@link dev.surge.core.trigger.TriggerSettings}'s.
 */
public final class FunctionEnvironment {
  /** ECS cluster name. */
  public static final String CLUSTER = "SURGE_CLUSTER";

  /** Task definition family (its latest ACTIVE revision is started). */
  public static final String TASK_DEFINITION = "SURGE_TASK_DEFINITION";

  /** Worker container name. */
  public static final String CONTAINER = "SURGE_CONTAINER";

  /** Comma-separated subnet ids. */
  public static final String SUBNETS = "SURGE_SUBNETS";

  /** Comma-separated security group ids. */
  public static final String SECURITY_GROUPS = "SURGE_SECURITY_GROUPS";

  /** {@code ENABLED} or {@code DISABLED}. */
  public static final String ASSIGN_PUBLIC_IP = "SURGE_ASSIGN_PUBLIC_IP";

  /** The {@code startedBy} value that marks Surge's tasks. */
  public static final String STARTED_BY = "SURGE_STARTED_BY";

  private FunctionEnvironment() {}
}
