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
  /** Reads a contender's result line; the count and time fields are named by the contender. */
  static BenchFigures of(com.fasterxml.jackson.databind.JsonNode r, String count, String time) {
    return new BenchFigures(
        r.get(count).asLong(),
        r.get(time).asLong(),
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
}
