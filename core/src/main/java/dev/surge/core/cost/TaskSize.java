package dev.surge.core.cost;

/**
 * A Fargate task's size, as its task definition gives it.
 *
 * @param cpuUnits 1024 units = 1 vCPU
 * @param memoryMib memory in MiB
 */
public record TaskSize(int cpuUnits, int memoryMib) {
  /**
   * The worker's deployed size: 0.25 vCPU, the smallest Fargate size (a worker waits on the
   * network, not the CPU), and 512 MiB, the smallest memory for it.
   */
  public static final TaskSize WORKER = new TaskSize(256, 512);

  /** Checks the size is positive. */
  public TaskSize {
    if (cpuUnits <= 0 || memoryMib <= 0) {
      throw new IllegalArgumentException("cpu and memory must be > 0");
    }
  }

  /** vCPUs. */
  public double vcpu() {
    return cpuUnits / 1024.0;
  }

  /** Memory in GB, as Fargate bills it (GiB). */
  public double memoryGb() {
    return memoryMib / 1024.0;
  }
}
