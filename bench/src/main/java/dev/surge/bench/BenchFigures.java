package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One contender's measurement.
 *
 * @param messages messages processed
 * @param millis busy time: first message received (or sent) to the last one deleted (or sent)
 * @param cpuMillis CPU time (user + system) of the contender's process over the same busy window,
 *     read with {@code OperatingSystemMXBean#getProcessCpuTime} at its two ends (-1 if unknown)
 * @param requests API requests the contender sent
 * @param peakHeapMb peak heap of its JVM
 * @param peakRssMb peak resident set size of its JVM (-1 if unknown)
 */
record BenchFigures(
    long messages, long millis, long cpuMillis, long requests, long peakHeapMb, long peakRssMb) {

  /** Fargate's smallest task: a quarter of a vCPU, 250 ms of CPU time a second. */
  static final double QUARTER_VCPU_MS_PER_SECOND = 250;

  /** Reads a contender's result line; the count and time fields are named by the contender. */
  static BenchFigures of(JsonNode r, String count, String time) {
    return new BenchFigures(
        r.get(count).asLong(),
        r.get(time).asLong(),
        r.get("cpuMillis").asLong(),
        r.get("requests").asLong(),
        r.get("peakHeapMb").asLong(),
        r.get("peakRssMb").asLong());
  }

  double rate() {
    return millis <= 0 ? 0 : messages * 1000.0 / millis;
  }

  double requestsPerMessage() {
    return messages == 0 ? 0 : (double) requests / messages;
  }

  /** CPU milliseconds per 1,000 messages, or -1 if unknown. */
  double cpuMsPerThousand() {
    return cpuMillis < 0 || messages == 0 ? -1 : cpuMillis * 1000.0 / messages;
  }

  /**
   * The rate a CPU cost of {@code cpuMsPerThousand} allows on a quarter vCPU, 250 ms of CPU a
   * second: what the process itself needs, not what the stand-ins need; -1 if unknown.
   */
  static double quarterVcpuRate(double cpuMsPerThousand) {
    return cpuMsPerThousand <= 0 ? -1 : QUARTER_VCPU_MS_PER_SECOND * 1000.0 / cpuMsPerThousand;
  }
}
