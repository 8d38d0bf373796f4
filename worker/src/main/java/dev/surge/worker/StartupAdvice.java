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
    return wrong(failure) + "; " + localFix(failure);
  }

  /** The line that says what is wrong and what to do, for a worker pointed at AWS's endpoints. */
  static String aws(StartupFailure failure) {
    return wrong(failure) + "; " + awsFix(failure);
  }

  /** What is wrong, the same wherever the worker looked. */
  private static String wrong(StartupFailure failure) {
    if (failure instanceof StartupFailure.QueueMissing f) {
      return "queue "
          + (isUrl(f.nameOrUrl()) ? f.nameOrUrl() : "'" + f.nameOrUrl() + "'")
          + " does not exist at "
          + f.endpoint();
    }
    if (failure instanceof StartupFailure.QueueGone f) {
      return "queue " + f.url() + " does not exist";
    }
    if (failure instanceof StartupFailure.NoRedrivePolicy f) {
      return "queue '"
          + f.queue()
          + "' has no redrive policy, so a message that can never be written would be"
          + " received again and again and the queue would never drain";
    }
    if (failure instanceof StartupFailure.TableMissing f) {
      return "table '" + f.table() + "' does not exist at " + f.endpoint();
    }
    if (failure instanceof StartupFailure.KeyMismatch f) {
      return "table '"
          + f.table()
          + "' has the key "
          + f.key()
          + ", but the worker writes items keyed by "
          + ItemSchema.expectedKey()
          + ", so every write would fail";
    }
    if (failure instanceof StartupFailure.NotReachable f) {
      return f.service() + " is not reachable at " + f.endpoint() + " (" + f.detail() + ")";
    }
    if (failure instanceof StartupFailure.NoAnswer f) {
      return f.service()
          + " did not answer at "
          + f.endpoint()
          + f.retriedFor().map(d -> " for " + d.toSeconds() + " s").orElse("")
          + " ("
          + f.detail()
          + ")";
    }
    throw new IllegalArgumentException("no advice for " + failure);
  }

  /** What to do at an endpoint of its own: the local cloud, or other settings. */
  private static String localFix(StartupFailure failure) {
    if (failure instanceof StartupFailure.QueueMissing) {
      return "start the local cloud with './surge up' (it creates it), or name an existing"
          + " queue with --queue / SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.QueueGone) {
      return "start the local cloud with './surge up', or name an existing queue with --queue /"
          + " SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.NoRedrivePolicy) {
      return DEAD_LETTER_QUEUE
          + ", as './surge up' and the stack do, or name such a queue with --queue / SURGE_QUEUE";
    }
    if (failure instanceof StartupFailure.TableMissing) {
      return "start the local cloud with './surge up' (it creates it), or name an existing"
          + " table with --table / SURGE_TABLE";
    }
    if (failure instanceof StartupFailure.KeyMismatch) {
      return "name a table with that key with --table / SURGE_TABLE ('./surge up' and the stack"
          + " create one)";
    }
    if (failure instanceof StartupFailure.NotReachable f) {
      return startOrPoint(f.service());
    }
    if (failure instanceof StartupFailure.NoAnswer f) {
      return startOrPoint(f.service());
    }
    throw new IllegalArgumentException("no advice for " + failure);
  }

  /** What to do at AWS's endpoints: the stack, the task definition, the task's network. */
  private static String awsFix(StartupFailure failure) {
    if (failure instanceof StartupFailure.QueueMissing) {
      return "the stack creates it: deploy it with './surge deploy', or set SURGE_QUEUE in the"
          + " task definition to an existing queue";
    }
    if (failure instanceof StartupFailure.QueueGone) {
      return "deploy the stack with './surge deploy', or set SURGE_QUEUE in the task definition"
          + " to an existing queue";
    }
    if (failure instanceof StartupFailure.NoRedrivePolicy) {
      return DEAD_LETTER_QUEUE
          + ", as the stack does, or set SURGE_QUEUE in the task definition to such a queue";
    }
    if (failure instanceof StartupFailure.TableMissing) {
      return "the stack creates it: deploy it with './surge deploy', or set SURGE_TABLE in the"
          + " task definition to an existing table";
    }
    if (failure instanceof StartupFailure.KeyMismatch) {
      return "set SURGE_TABLE in the task definition to a table with that key (the stack creates"
          + " one)";
    }
    if (failure instanceof StartupFailure.NotReachable f) {
      return noRoute(f.service());
    }
    if (failure instanceof StartupFailure.NoAnswer f) {
      return noRoute(f.service());
    }
    throw new IllegalArgumentException("no advice for " + failure);
  }

  private static final String DEAD_LETTER_QUEUE =
      "give it a dead-letter queue (RedrivePolicy with deadLetterTargetArn and maxReceiveCount, 5"
          + " say)";

  private static String startOrPoint(String service) {
    return "start the local cloud with './surge up', or set "
        + "AWS_ENDPOINT_URL_"
        + service.toUpperCase(Locale.ROOT)
        + " to a running endpoint";
  }

  private static String noRoute(String service) {
    return "the task needs a route to it: a public IP in a public subnet (as the stack gives its"
        + " tasks), a NAT gateway, or a VPC endpoint for "
        + service;
  }

  private static boolean isUrl(String nameOrUrl) {
    return nameOrUrl.startsWith("http://") || nameOrUrl.startsWith("https://");
  }
}
