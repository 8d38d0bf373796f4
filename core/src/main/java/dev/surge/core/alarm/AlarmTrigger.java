package dev.surge.core.alarm;

import java.util.List;
import java.util.Objects;

/**
 * The {@code Trigger} block of a CloudWatch alarm notification: the metric and the rule the alarm
 * evaluates, spelled as CloudWatch spells them in notifications (which differs from the API: the
 * statistic is upper-case, e.g. {@code SUM}, and older alarms say {@code "- TreatMissingData:
 * missing"} where newer ones say {@code "missing"}).
 *
 * @param metricName e.g. {@code ApproximateNumberOfMessagesVisible}
 * @param namespace e.g. {@code AWS/SQS}
 * @param statisticType {@code Statistic} or {@code ExtendedStatistic}
 * @param statistic as notified: {@code SUM}, {@code AVERAGE}, {@code MAXIMUM}, ... or {@code p99}
 * @param dimensions the metric's dimensions, in the notification's order
 * @param period seconds per datapoint
 * @param evaluationPeriods datapoints looked at ("N" of "M out of N")
 * @param datapointsToAlarm breaching datapoints needed ("M"); older notifications omit it, and then
 *     it equals {@code evaluationPeriods}
 * @param comparisonOperator e.g. {@code GreaterThanThreshold}
 * @param threshold the threshold
 * @param treatMissingData as notified (see {@link #missingDataTreatment()} for the bare value)
 * @param evaluateLowSampleCountPercentile as notified, usually empty
 * @param unit the metric's unit, or {@code null} when the alarm names none (CloudWatch sends {@code
 *     null})
 */
public record AlarmTrigger(
    String metricName,
    String namespace,
    String statisticType,
    String statistic,
    List<Dimension> dimensions,
    int period,
    int evaluationPeriods,
    int datapointsToAlarm,
    String comparisonOperator,
    double threshold,
    String treatMissingData,
    String evaluateLowSampleCountPercentile,
    String unit) {

  private static final String OLD_MISSING_DATA_PREFIX = "- TreatMissingData:";

  /** Requires every part but the unit; counts are never negative. */
  public AlarmTrigger {
    Objects.requireNonNull(metricName, "metricName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(statisticType, "statisticType");
    Objects.requireNonNull(statistic, "statistic");
    dimensions = List.copyOf(Objects.requireNonNull(dimensions, "dimensions"));
    Objects.requireNonNull(comparisonOperator, "comparisonOperator");
    Objects.requireNonNull(treatMissingData, "treatMissingData");
    Objects.requireNonNull(evaluateLowSampleCountPercentile, "evaluateLowSampleCountPercentile");
    if (period < 0 || evaluationPeriods < 0 || datapointsToAlarm < 0) {
      throw new IllegalArgumentException(
          "period, evaluationPeriods and datapointsToAlarm must be >= 0");
    }
  }

  /**
   * A trigger for a plain statistic with the current notification spellings.
   *
   * @param statistic as notified, e.g. {@code SUM}
   * @param treatMissingData e.g. {@code missing}
   */
  public static AlarmTrigger of(
      String metricName,
      String namespace,
      String statistic,
      List<Dimension> dimensions,
      int period,
      int evaluationPeriods,
      int datapointsToAlarm,
      String comparisonOperator,
      double threshold,
      String treatMissingData) {
    return new AlarmTrigger(
        metricName,
        namespace,
        "Statistic",
        statistic,
        dimensions,
        period,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator,
        threshold,
        treatMissingData,
        "",
        null);
  }

  /** What a notification without a {@code Trigger} block (a hand-published test) stands for. */
  static AlarmTrigger unknown() {
    return new AlarmTrigger("", "", "", "", List.of(), 0, 0, 0, "", 0, "", "", null);
  }

  /**
   * The treatment of missing data without the older notifications' {@code "- TreatMissingData:"}
   * prefix: {@code missing}, {@code breaching}, {@code notBreaching} or {@code ignore}.
   */
  public String missingDataTreatment() {
    String v = treatMissingData.strip();
    if (v.startsWith(OLD_MISSING_DATA_PREFIX)) {
      v = v.substring(OLD_MISSING_DATA_PREFIX.length()).strip();
    }
    return v;
  }

  /**
   * One dimension of the metric. CloudWatch notifications spell these lower-case, value first:
   * {@code {"value":"demo-decoupling-saa","name":"QueueName"}}.
   *
   * @param name e.g. {@code QueueName}
   * @param value e.g. {@code demo-decoupling-saa}
   */
  public record Dimension(String name, String value) {
    /** Requires both parts. */
    public Dimension {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
