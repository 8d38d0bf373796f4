package dev.surge.cli.bench;

/**
 * One contender's measurement.
 *
 * @param messages messages processed
 * @param millis busy time: first message received (or sent) to the last one deleted (or sent)
 * @param requests API requests the contender sent
 * @param peakHeapMb peak heap of its JVM
 * @param peakRssMb peak resident set size of its JVM (-1 if unknown)
 */
record BenchFigures(long messages, long millis, long requests, long peakHeapMb, long peakRssMb) {
  double rate() {
    return millis <= 0 ? 0 : messages * 1000.0 / millis;
  }

  double requestsPerMessage() {
    return messages == 0 ? 0 : (double) requests / messages;
  }
}
