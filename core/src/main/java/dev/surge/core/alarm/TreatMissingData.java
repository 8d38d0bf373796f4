package dev.surge.core.alarm;

import java.util.Objects;

/**
 * How an alarm treats periods that received no sample. See {@link AlarmEvaluator} for exactly how
 * each one decides the state.
 */
public enum TreatMissingData {
  /**
   * Missing datapoints are left out; if every datapoint of the evaluation range is missing, the
   * alarm goes to {@link AlarmState#INSUFFICIENT_DATA}. CloudWatch's default.
   */
  MISSING("missing", "Missing"),
  /** Missing datapoints count as within the threshold ("good"). */
  NOT_BREACHING("notBreaching", "NonBreaching"),
  /** Missing datapoints count as breaching the threshold ("bad"). */
  BREACHING("breaching", "Breaching"),
  /** When the real datapoints cannot decide, the alarm keeps its current state. */
  IGNORE("ignore", "Ignore");

  private final String cloudWatchName;
  private final String reasonLabel;

  TreatMissingData(String cloudWatchName, String reasonLabel) {
    this.cloudWatchName = cloudWatchName;
    this.reasonLabel = reasonLabel;
  }

  /** The value of CloudWatch's {@code TreatMissingData} setting, e.g. {@code notBreaching}. */
  public String cloudWatchName() {
    return cloudWatchName;
  }

  /** The label state reasons use: "missing datapoints were treated as [NonBreaching]". */
  String reasonLabel() {
    return reasonLabel;
  }

  /**
   * The treatment named {@code text}, ignoring case, underscores and dashes: {@code notBreaching},
   * {@code NOT_BREACHING} and {@code not-breaching} are all {@link #NOT_BREACHING}.
   *
   * @throws IllegalArgumentException if no treatment has that name; the message lists valid names
   */
  public static TreatMissingData parse(String text) {
    Objects.requireNonNull(text, "treat missing data");
    String key = Names.key(text);
    for (TreatMissingData t : values()) {
      if (Names.key(t.cloudWatchName).equals(key)) {
        return t;
      }
    }
    throw Names.unknown(
        "treat-missing-data value", text, TreatMissingData.class, TreatMissingData::cloudWatchName);
  }
}
