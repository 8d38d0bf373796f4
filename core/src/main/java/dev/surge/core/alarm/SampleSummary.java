package dev.surge.core.alarm;

/**
 * What every {@link Statistic} needs to know about one period's samples, so a period costs four
 * numbers however many samples it receives.
 *
 * @param count how many samples, at least one
 * @param sum their total
 * @param min the smallest
 * @param max the largest
 */
record SampleSummary(long count, double sum, double min, double max) {

  SampleSummary {
    if (count < 1) {
      throw new IllegalArgumentException("a summary needs at least one sample, had " + count);
    }
  }

  /** The summary of the single sample {@code value}. */
  static SampleSummary of(double value) {
    return new SampleSummary(1, value, value, value);
  }

  /** This summary with {@code value} added. */
  SampleSummary plus(double value) {
    return new SampleSummary(count + 1, sum + value, Math.min(min, value), Math.max(max, value));
  }
}
