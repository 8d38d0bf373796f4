package dev.surge.trigger;

import java.time.Instant;
import java.util.Objects;

/**
 * A {@code RunTask} call written into the {@link LaunchLedger} before it is made, so that its tasks
 * count while nobody can name them: until its answer replaces it with the tasks it started, and,
 * when no answer says what it did (a timeout, a server error, a function that stopped mid-call),
 * until {@code ListTasks} shows tasks it may have started or {@link EcsTaskLauncher#REMEMBERED} has
 * passed.
 *
 * @param clientToken the call's {@code clientToken}, which names it
 * @param count the tasks it asks for
 * @param at when it was made, by the trigger's clock
 */
record PendingLaunch(String clientToken, int count, Instant at) {
  /** Requires a token, a count of 1 to {@link EcsTaskLauncher#MAX_PER_CALL}, and a time. */
  PendingLaunch {
    if (clientToken == null || clientToken.isBlank()) {
      throw new IllegalArgumentException("clientToken must not be blank");
    }
    if (count < 1 || count > EcsTaskLauncher.MAX_PER_CALL) {
      throw new IllegalArgumentException(
          "count must be 1 to " + EcsTaskLauncher.MAX_PER_CALL + ", was " + count);
    }
    Objects.requireNonNull(at, "at");
  }
}
