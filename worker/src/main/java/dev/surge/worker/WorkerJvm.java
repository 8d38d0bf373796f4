package dev.surge.worker;

import java.util.List;

/**
 * The JVM options every worker runs with: the local launcher's, the image's (the {@code jvmFlags}
 * of the Jib configuration in this module's pom, which a test holds equal to {@link #OPTIONS}) and
 * {@code surge bench}'s.
 */
public final class WorkerJvm {
  /**
   * A worker lives for seconds to hours, mostly waits on the network, holds at most {@code
   * concurrency} batches of 10 messages, and several run side by side on a small machine or in a
   * 512 MiB Fargate task. The serial collector costs the least to start and run; small thread
   * stacks suit its few dozen threads; the C1 compiler alone compiles soonest. The heap is fixed at
   * 32 to 64 MB rather than a share of the machine's memory, where the serial collector's initial
   * heap alone is a 64th of it (376 MB on a 24 GB host): measured by {@code surge bench} on such a
   * host, the worker's peak RSS fell from 190 MB to about 100 MB, a fifth of the smallest task,
   * with about 20 MB of heap in use at its peak. Running out of heap ends the process, so its
   * messages come back after their visibility timeout instead of being held by a stuck JVM.
   */
  public static final List<String> OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xss512k",
          "-XX:TieredStopAtLevel=1",
          "-Xms32m",
          "-Xmx64m",
          "-XX:+ExitOnOutOfMemoryError");

  private WorkerJvm() {}
}
