package dev.surge.core.trigger;

/**
 * The control table the AWS trigger's instances share: one item per fleet, keyed by {@link #KEY},
 * holding the lease that serializes the fleet's decisions and the tasks started recently. Lambda
 * may run a notification, the scheduled reconcile and a retry in separate execution environments at
 * once; what one environment remembers in memory the others cannot see, the table they all can.
 */
public final class ControlSchema {
  /**
   * Environment variable: the control table's name. Unset, decisions are serialized within one
   * instance only. The local cloud's function has it too, in the DynamoDB stand-in.
   */
  public static final String TABLE = "SURGE_CONTROL_TABLE";

  /** Partition key (String): the fleet, {@code <cluster name>/<startedBy>}. */
  public static final String KEY = "fleet";

  private ControlSchema() {}
}
