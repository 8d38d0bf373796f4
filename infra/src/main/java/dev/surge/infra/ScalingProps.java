package dev.surge.infra;

import dev.surge.core.ConfigException;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the trigger function sizes the fleet; it becomes the function's {@code SURGE_POLICY}, {@code
 * SURGE_MESSAGES_PER_TASK}, {@code SURGE_MAX_TASKS}, {@code SURGE_TASKS} and {@code
 * SURGE_STARTED_BY} environment. All of them are set whatever the policy, so switching policy is a
 * change of one variable.
 *
 * @param policy {@value #PROPORTIONAL} or {@value #FIXED}
 * @param messagesPerTask backlog one task is expected to drain (proportional policy)
 * @param maxTasks the fleet's cap (proportional policy)
 * @param fixedTasks the fleet size (fixed policy)
 * @param startedBy the ECS {@code startedBy} tag that marks Surge's tasks
 * @param activation {@code backlog} (any backlog with no task running starts one) or {@code alarm}
 *     (the seed's: the reconciler acts only while the alarm is in ALARM); the function's {@code
 *     SURGE_ACTIVATION}
 */
public record ScalingProps(
    String policy,
    int messagesPerTask,
    int maxTasks,
    int fixedTasks,
    String startedBy,
    String activation) {

  /** The policy that starts one task per {@code messagesPerTask} messages. */
  public static final String PROPORTIONAL = "proportional";

  /** The policy that always wants {@code fixedTasks} tasks (the seed's behaviour). */
  public static final String FIXED = "fixed";

  // ECS accepts up to 128 letters, digits, hyphens and underscores in startedBy.
  private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /** Validates each parameter with the same rules as the trigger's own settings. */
  public ScalingProps {
    Objects.requireNonNull(policy, "policy");
    policy = policy.toLowerCase(Locale.ROOT);
    if (!policy.equals(PROPORTIONAL) && !policy.equals(FIXED)) {
      throw new IllegalArgumentException(
          "policy '" + policy + "' is not a policy; use '" + PROPORTIONAL + "' or '" + FIXED + "'");
    }
    // The core policies reject non-positive parameters; building them checks ours the same way.
    new ScalingPolicy.Proportional(messagesPerTask, maxTasks);
    new ScalingPolicy.Fixed(fixedTasks);
    Objects.requireNonNull(activation, "activation");
    try {
      activation =
          TriggerSettings.Activation.parse("activation", activation)
              .name()
              .toLowerCase(Locale.ROOT);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (startedBy == null || !STARTED_BY.matcher(startedBy).matches()) {
      throw new IllegalArgumentException(
          "startedBy '" + startedBy + "' is not valid: use 1 to 128 letters, digits, '-' or '_'");
    }
  }

  /** The defaults: proportional, 300 messages per task, at most 10 tasks, 4 when fixed. */
  public static ScalingProps defaults() {
    return new ScalingProps(
        PROPORTIONAL,
        ScalingPolicy.Proportional.DEFAULT_MESSAGES_PER_TASK,
        ScalingPolicy.Proportional.DEFAULT_MAX_TASKS,
        ScalingPolicy.Fixed.SEED_TASKS,
        "surge",
        "backlog");
  }
}
