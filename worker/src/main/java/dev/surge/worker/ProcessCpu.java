package dev.surge.worker;

import java.lang.management.ManagementFactory;

/**
 * This process's CPU time (user + system, every thread, the JVM's own included), as {@code
 * com.sun.management.OperatingSystemMXBean#getProcessCpuTime} reports it: on Linux with a
 * resolution of one clock tick (10 ms).
 */
public final class ProcessCpu {
  private static final java.lang.management.OperatingSystemMXBean OS =
      ManagementFactory.getOperatingSystemMXBean();

  private ProcessCpu() {}

  /** CPU time used so far in nanoseconds, or -1 where the JVM cannot tell. */
  public static long nanos() {
    return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /** CPU time used so far in milliseconds, or -1 where the JVM cannot tell. */
  public static long millis() {
    long n = nanos();
    return n < 0 ? -1 : n / 1_000_000;
  }
}
