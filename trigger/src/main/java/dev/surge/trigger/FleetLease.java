package dev.surge.trigger;

import java.util.function.Supplier;

/**
 * Serializes one fleet's decisions across every instance of the trigger. Lambda may run an SNS
 * notification, the scheduled reconcile and a retry in separate execution environments at once;
 * without a lease each would count the fleet before the other's {@code RunTask} shows in ECS's
 * lagging {@code ListTasks}, and both would start the missing tasks. {@link TriggerService}'s own
 * {@code synchronized} covers one instance only.
 *
 * <p>{@link DynamoDbFleetLease} is the implementation: a conditional write on one DynamoDB item.
 */
public interface FleetLease {
  /**
   * Runs {@code decision} while this instance holds the fleet's lease, and releases it after. Waits
   * while another instance holds it.
   *
   * @return what {@code decision} returned
   * @throws FleetLeaseException when the lease cannot be taken: it stayed busy past the wait's
   *     bound, or the store failed; {@code decision} did not run, and the caller's retry applies
   */
  <T> T holding(Supplier<T> decision);
}
