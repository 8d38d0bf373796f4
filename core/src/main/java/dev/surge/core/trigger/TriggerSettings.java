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
 * @param alarm alarm name; notifications from other alarms are ignored
 * @param policy the scaling policy
 * @param activation when the reconciler starts a fleet from zero
 */
public record TriggerSettings(
    String queue, String alarm, ScalingPolicy policy, Activation activation) {

  /**
   * When the scheduled reconcile starts tasks. The alarm's threshold (the seed's 100) is the
   * <em>scaling</em> threshold; activation is what starts a first task, as KEDA separates the two.
   */
  public enum Activation {
    /**
     * The default: any backlog (visible or in flight) with no task running starts one task, so
     * messages at or below the threshold are never stranded when a fleet dies; in ALARM the
     * policy's fleet is topped up.
     */
    BACKLOG,
    /** The seed's behaviour: the reconciler acts only while the alarm is in ALARM. */
    ALARM;

    /** Parses {@code backlog} or {@code alarm}, naming {@code variable} when it is neither. */
    public static Activation parse(String variable, String text) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "backlog":
          return BACKLOG;
        case "alarm":
          return ALARM;
        default:
          throw new ConfigException(
              variable
                  + "='"
                  + text
                  + "' is not an activation; use 'backlog' (any backlog with no task running"
                  + " starts one) or 'alarm' (the seed's: only while the alarm is in ALARM)");
      }
    }
  }

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

  /** Environment variable: {@code backlog} (default) or {@code alarm}; see {@link Activation}. */
  public static final String ACTIVATION = "SURGE_ACTIVATION";

  /** Requires every part. */
  public TriggerSettings {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(alarm, "alarm");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(activation, "activation");
  }

  /** Settings with the default activation, {@link Activation#BACKLOG}. */
  public TriggerSettings(String queue, String alarm, ScalingPolicy policy) {
    this(queue, alarm, policy, Activation.BACKLOG);
  }

  /** Reads the {@code SURGE_*} variables; absent ones take the seed's names and the defaults. */
  public static TriggerSettings fromEnvironment(Env env) {
    ResourceNames seed = ResourceNames.seed();
    return new TriggerSettings(
        env.string(QUEUE, seed.queue()),
        env.string(ALARM, seed.alarm()),
        policy(env),
        Activation.parse(ACTIVATION, env.string(ACTIVATION, "backlog")));
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
