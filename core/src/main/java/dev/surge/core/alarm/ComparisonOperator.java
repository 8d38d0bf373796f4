package dev.surge.core.alarm;

import java.util.Objects;

/**
 * How a datapoint is compared with the alarm's threshold; a datapoint that satisfies it breaches.
 */
public enum ComparisonOperator {
  /** Breaches when the value is above the threshold. */
  GREATER_THAN_THRESHOLD("GreaterThanThreshold", ">", "gt", "greater than"),
  /** Breaches when the value is at or above the threshold. */
  GREATER_THAN_OR_EQUAL_TO_THRESHOLD(
      "GreaterThanOrEqualToThreshold", ">=", "ge", "greater than or equal to"),
  /** Breaches when the value is below the threshold. */
  LESS_THAN_THRESHOLD("LessThanThreshold", "<", "lt", "less than"),
  /** Breaches when the value is at or below the threshold. */
  LESS_THAN_OR_EQUAL_TO_THRESHOLD(
      "LessThanOrEqualToThreshold", "<=", "le", "less than or equal to");

  private final String cloudWatchName;
  private final String symbol;
  private final String shortName;
  private final String phrase;

  ComparisonOperator(String cloudWatchName, String symbol, String shortName, String phrase) {
    this.cloudWatchName = cloudWatchName;
    this.symbol = symbol;
    this.shortName = shortName;
    this.phrase = phrase;
  }

  /** The name CloudWatch uses, e.g. {@code GreaterThanThreshold}. */
  public String cloudWatchName() {
    return cloudWatchName;
  }

  /** The mathematical symbol, e.g. {@code >=}. */
  public String symbol() {
    return symbol;
  }

  /**
   * The words CloudWatch's state reasons use, e.g. {@code greater than or equal to} in "was greater
   * than or equal to the threshold (1.0)".
   */
  public String phrase() {
    return phrase;
  }

  /** Whether {@code value} breaches {@code threshold} under this operator. */
  public boolean breaches(double value, double threshold) {
    return switch (this) {
      case GREATER_THAN_THRESHOLD -> value > threshold;
      case GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> value >= threshold;
      case LESS_THAN_THRESHOLD -> value < threshold;
      case LESS_THAN_OR_EQUAL_TO_THRESHOLD -> value <= threshold;
    };
  }

  /**
   * The operator named {@code text}: a CloudWatch name (any case, e.g. {@code
   * GreaterThanThreshold}), a constant name ({@code GREATER_THAN_THRESHOLD}), a short form ({@code
   * gt, ge, lt, le}) or a symbol ({@code >, >=, <, <=}). Surrounding blanks are ignored.
   *
   * @throws IllegalArgumentException if no operator has that name; the message lists valid names
   */
  public static ComparisonOperator parse(String text) {
    Objects.requireNonNull(text, "comparison operator");
    String trimmed = text.strip();
    String key = Names.key(trimmed);
    for (ComparisonOperator op : values()) {
      if (op.symbol.equals(trimmed)
          || op.shortName.equals(key)
          || Names.key(op.cloudWatchName).equals(key)) {
        return op;
      }
    }
    throw Names.unknown(
        "comparison operator",
        text,
        ComparisonOperator.class,
        op -> op.cloudWatchName + " (" + op.shortName + ", " + op.symbol + ")");
  }
}
