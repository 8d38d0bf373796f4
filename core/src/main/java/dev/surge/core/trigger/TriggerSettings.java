package dev.surge.core.trigger;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.scaling.ScalingPolicy;
import java.util.Locale;
import java.util.Objects;

/**
 * What the trigger (the Lambda function; locally the in-process function) needs: where the backlog
 * is, which alarm it serves, and the scaling policy. Read from the function's environment.
 *
 * @param queue queue name or URL whose backlog is read
 * @param alarm alarm name; notifications from other alarms are ignored, and the reconciler acts
 *     only while this alarm is in ALARM
 * @param policy the scaling policy
 */
public record TriggerSettings(String queue, String alarm, ScalingPolicy policy) {

  /** Environment variable: queue name or URL. */
  public static final String QUEUE = "SURGE_QUEUE";

  /** Environment variable: alarm name. */
  public static final String ALARM = "SURGE_ALARM";

  /** Environment variable: {@code proportional} (default) or {@code fixed}. */
  public static final String POLICY = "SURGE_POLICY";

  /** Environment variable: messages per task (proportional policy). */
  public static final String MESSAGES_PER_TASK = "SURGE_MESSAGES_PER_TASK";

  /** Environment variable: the fleet's cap (proportional policy). */
  public static final String MAX_TASKS = "SURGE_MAX_TASKS";

  /** Environment variable: the fleet size (fixed policy). */
  public static final String TASKS = "SURGE_TASKS";

  /** Requires every part. */
  public TriggerSettings {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(alarm, "alarm");
    Objects.requireNonNull(policy, "policy");
  }

  /** Reads the {@code SURGE_*} variables; absent ones take the seed's names and the defaults. */
  public static TriggerSettings fromEnvironment(Env env) {
    ResourceNames seed = ResourceNames.seed();
    return new TriggerSettings(
        env.string(QUEUE, seed.queue()), env.string(ALARM, seed.alarm()), policy(env));
  }

  /** The policy named by {@link #POLICY} with its parameters. */
  public static ScalingPolicy policy(Env env) {
    String name = env.string(POLICY, "proportional").toLowerCase(Locale.ROOT);
    switch (name) {
      case "proportional":
        return new ScalingPolicy.Proportional(
            env.integer(
                MESSAGES_PER_TASK,
                ScalingPolicy.Proportional.DEFAULT_MESSAGES_PER_TASK,
                1,
                1_000_000_000),
            env.integer(MAX_TASKS, ScalingPolicy.Proportional.DEFAULT_MAX_TASKS, 1, 1000));
      case "fixed":
        return new ScalingPolicy.Fixed(env.integer(TASKS, ScalingPolicy.Fixed.SEED_TASKS, 1, 1000));
      default:
        throw new ConfigException(
            POLICY + "='" + name + "' is not a policy; use 'proportional' or 'fixed'");
    }
  }
}
