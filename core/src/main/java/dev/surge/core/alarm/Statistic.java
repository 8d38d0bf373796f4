package dev.surge.core.alarm;

import java.util.List;
import java.util.Objects;

/** How the samples of one period are aggregated into the period's datapoint, as CloudWatch does. */
public enum Statistic {
  /** The total of the samples. */
  SUM("Sum"),
  /** The mean of the samples. */
  AVERAGE("Average"),
  /** The largest sample. */
  MAXIMUM("Maximum"),
  /** The smallest sample. */
  MINIMUM("Minimum"),
  /** How many samples there were. */
  SAMPLE_COUNT("SampleCount");

  private final String cloudWatchName;

  Statistic(String cloudWatchName) {
    this.cloudWatchName = cloudWatchName;
  }

  /** The name CloudWatch uses in its API and in {@code StateReasonData}, e.g. {@code Sum}. */
  public String cloudWatchName() {
    return cloudWatchName;
  }

  /**
   * The statistic named {@code text}, ignoring case, underscores and dashes: {@code Sum}, {@code
   * SUM} and {@code sum} are all {@link #SUM}; {@code SampleCount} and {@code SAMPLE_COUNT} are
   * {@link #SAMPLE_COUNT} (the alarm notification's {@code Trigger} uses the upper-case form).
   *
   * @throws IllegalArgumentException if no statistic has that name; the message lists valid names
   */
  public static Statistic parse(String text) {
    Objects.requireNonNull(text, "statistic");
    String key = Names.key(text);
    for (Statistic s : values()) {
      if (Names.key(s.cloudWatchName).equals(key)) {
        return s;
      }
    }
    throw Names.unknown("statistic", text, Statistic.class, Statistic::cloudWatchName);
  }

  /**
   * This statistic over {@code samples}.
   *
   * @throws IllegalArgumentException if {@code samples} is empty (a period without samples has no
   *     datapoint: it is missing, not zero)
   */
  public double apply(List<Double> samples) {
    Objects.requireNonNull(samples, "samples");
    if (samples.isEmpty()) {
      throw new IllegalArgumentException(cloudWatchName + " of no samples is undefined");
    }
    SampleSummary summary = SampleSummary.of(samples.get(0));
    for (int i = 1; i < samples.size(); i++) {
      summary = summary.plus(samples.get(i));
    }
    return apply(summary);
  }

  /** This statistic over the samples {@code summary} describes. */
  double apply(SampleSummary summary) {
    return switch (this) {
      case SUM -> summary.sum();
      case AVERAGE -> summary.sum() / summary.count();
      case MAXIMUM -> summary.max();
      case MINIMUM -> summary.min();
      case SAMPLE_COUNT -> summary.count();
    };
  }
}
