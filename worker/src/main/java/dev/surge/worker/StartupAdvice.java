package dev.surge.worker;

import dev.surge.core.item.ItemSchema;
import java.util.Locale;

/**
 * Turns a {@link StartupFailure} into the one line a person reads: what is wrong, then what to do.
 * This is the one place the worker names Surge's commands ({@code ./surge up}, {@code ./surge
 * deploy}), flags ({@code --queue}) and variables; the probe that finds the failure is the same in
 * a container and at a terminal, and names none of them. What to do depends on where the worker
 * looked: at an endpoint of its own (the local cloud, an emulator: {@link #local}) the fix is to
 * start the local cloud or point the worker elsewhere; at AWS's own endpoints ({@link #aws}, a task
 * of the deployed stack) it is the stack or the task's network.
 */
final class StartupAdvice {
  private StartupAdvice() {}

  /** The line that says what is wrong and what to do, for a worker pointed at its own endpoint. */
  static String local(StartupFailure failure) {
    if (failure instanceof StartupFailure.QueueMissing f) {
      return "queue "
          + (isUrl(f.nameOrUrl()) ? f.nameOrUrl() : "'" + f.nameOrUrl() + "'")
          + " does not exist at "
          + f.endpoint()
          + "; start the local cloud with './surge up' (it creates it), or name an existing"
          + " queue with --queue / SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.QueueGone f) {
      return "queue "
          + f.url()
          + " does not exist; start the local cloud with './surge up', or name an existing"
          + " queue with --queue / SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.NoRedrivePolicy f) {
      return "queue '"
          + f.queue()
          + "' has no redrive policy, so a message that can never be written would be"
          + " received again and again and the queue would never drain; give it a dead-letter"
          + " queue (RedrivePolicy with deadLetterTargetArn and maxReceiveCount, 5 say), as"
          + " './surge up' and the stack do, or name such a queue with --queue / SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.TableMissing f) {
      return "table '"
          + f.table()
          + "' does not exist at "
          + f.endpoint()
          + "; start the local cloud with './surge up' (it creates it), or name an existing"
          + " table with --table / SURGE_TABLE";
    }
    if (failure instanceof StartupFailure.KeyMismatch f) {
      return "table '"
          + f.table()
          + "' has the key "
          + f.key()
          + ", but the worker writes items keyed by "
          + ItemSchema.expectedKey()
          + ", so every write would fail; name a table with that key with --table /"
          + " SURGE_TABLE ('./surge up' and the stack create one)";
    }
    if (failure instanceof StartupFailure.NotReachable f) {
      return f.service()
          + " is not reachable at "
          + f.endpoint()
          + " ("
          + f.detail()
          + "); start the local cloud with './surge up', or set "
          + endpointVariable(f.service())
          + " to a running endpoint";
    }
    if (failure instanceof StartupFailure.NoAnswer f) {
      return f.service()
          + " did not answer at "
          + f.endpoint()
          + f.retriedFor().map(d -> " for " + d.toSeconds() + " s").orElse("")
          + " ("
          + f.detail()
          + "); start the local cloud with './surge up', or set "
          + endpointVariable(f.service())
          + " to a running endpoint";
    }
    throw new IllegalArgumentException("no advice for " + failure);
  }

  /** The line that says what is wrong and what to do, for a worker pointed at AWS's endpoints. */
  static String aws(StartupFailure failure) {
    if (failure instanceof StartupFailure.QueueMissing f) {
      return "queue "
          + (isUrl(f.nameOrUrl()) ? f.nameOrUrl() : "'" + f.nameOrUrl() + "'")
          + " does not exist at "
          + f.endpoint()
          + "; the stack creates it: deploy it with './surge deploy', or set SURGE_QUEUE in the"
          + " task definition to an existing queue";
    }
    if (failure instanceof StartupFailure.QueueGone f) {
      return "queue "
          + f.url()
          + " does not exist; deploy the stack with './surge deploy', or set SURGE_QUEUE in the"
          + " task definition to an existing queue";
    }
    if (failure instanceof StartupFailure.NoRedrivePolicy f) {
      return "queue '"
          + f.queue()
          + "' has no redrive policy, so a message that can never be written would be"
          + " received again and again and the queue would never drain; give it a dead-letter"
          + " queue (RedrivePolicy with deadLetterTargetArn and maxReceiveCount, 5 say), as the"
          + " stack does, or set SURGE_QUEUE in the task definition to such a queue";
    }
    if (failure instanceof StartupFailure.TableMissing f) {
      return "table '"
          + f.table()
          + "' does not exist at "
          + f.endpoint()
          + "; the stack creates it: deploy it with './surge deploy', or set SURGE_TABLE in the"
          + " task definition to an existing table";
    }
    if (failure instanceof StartupFailure.KeyMismatch f) {
      return "table '"
          + f.table()
          + "' has the key "
          + f.key()
          + ", but the worker writes items keyed by "
          + ItemSchema.expectedKey()
          + ", so every write would fail; set SURGE_TABLE in the task definition to a table"
          + " with that key (the stack creates one)";
    }
    if (failure instanceof StartupFailure.NotReachable f) {
      return f.service()
          + " is not reachable at "
          + f.endpoint()
          + " ("
          + f.detail()
          + "); "
          + noRoute(f.service());
    }
    if (failure instanceof StartupFailure.NoAnswer f) {
      return f.service()
          + " did not answer at "
          + f.endpoint()
          + f.retriedFor().map(d -> " for " + d.toSeconds() + " s").orElse("")
          + " ("
          + f.detail()
          + "); "
          + noRoute(f.service());
    }
    throw new IllegalArgumentException("no advice for " + failure);
  }

  private static String noRoute(String service) {
    return "the task needs a route to it: a public IP in a public subnet (as the stack gives its"
        + " tasks), a NAT gateway, or a VPC endpoint for "
        + service;
  }

  /** The SDK's standard variable for one service's endpoint. */
  private static String endpointVariable(String service) {
    return "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT);
  }

  private static boolean isUrl(String nameOrUrl) {
    return nameOrUrl.startsWith("http://") || nameOrUrl.startsWith("https://");
  }
}
