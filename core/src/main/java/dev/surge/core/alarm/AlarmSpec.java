package dev.surge.core.alarm;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The definition of one metric alarm, with CloudWatch's settings and names.
 *
 * @param name the alarm's name
 * @param metricName the metric watched, e.g. {@code ApproximateNumberOfMessagesVisible}
 * @param namespace the metric's namespace, e.g. {@code AWS/SQS}
 * @param dimensions the metric's dimensions, in declaration order (copied, unmodifiable)
 * @param statistic how each period's samples are aggregated
 * @param period the length of one period; whole milliseconds, positive (CloudWatch takes 10, 20, 30
 *     seconds or multiples of 60; Surge accepts any length so tests can run periods in
 *     milliseconds)
 * @param comparison how a datapoint is compared with the threshold
 * @param threshold the value datapoints are compared with
 * @param evaluationPeriods how many recent datapoints are evaluated ("N")
 * @param datapointsToAlarm how many of them must breach to go to ALARM ("M"), 1..N
 * @param treatMissingData how periods without samples count
 */
public record AlarmSpec(
    String name,
    String metricName,
    String namespace,
    Map<String, String> dimensions,
    Statistic statistic,
    Duration period,
    ComparisonOperator comparison,
    double threshold,
    int evaluationPeriods,
    int datapointsToAlarm,
    TreatMissingData treatMissingData) {

  /** The namespace of SQS's metrics. */
  public static final String SQS_NAMESPACE = "AWS/SQS";

  /** The SQS metric the seed's alarm watches. */
  public static final String VISIBLE_MESSAGES_METRIC = "ApproximateNumberOfMessagesVisible";

  /** The dimension that names the queue in SQS's metrics. */
  public static final String QUEUE_NAME_DIMENSION = "QueueName";

  /** The seed's threshold: more than 100 visible messages. */
  public static final double SEED_THRESHOLD = 100.0;

  /**
   * How many periods beyond {@code evaluationPeriods} the evaluation range reaches back. CloudWatch
   * does not publish the size of its range; its documented examples use 5 for 3 evaluation periods.
   */
  static final int EXTRA_RANGE_PERIODS = 2;

  /** Namespace whose alarms CloudWatch makes ignore missing data, whatever the setting. */
  private static final String DYNAMODB_NAMESPACE = "AWS/DynamoDB";

  /** Validates every setting and copies the dimensions. */
  public AlarmSpec {
    requireNonBlank(name, "name");
    requireNonBlank(metricName, "metricName");
    requireNonBlank(namespace, "namespace");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(treatMissingData, "treatMissingData");
    dimensions.forEach(
        (key, value) -> {
          requireNonBlank(key, "dimension name");
          requireNonBlank(value, "value of dimension " + key);
        });
    dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    if (period.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("period must be whole milliseconds, was " + period);
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number, was " + threshold);
    }
    if (evaluationPeriods < 1) {
      throw new IllegalArgumentException(
          "evaluationPeriods must be >= 1, was " + evaluationPeriods);
    }
    if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
      throw new IllegalArgumentException(
          "datapointsToAlarm must be between 1 and evaluationPeriods ("
              + evaluationPeriods
              + "), was "
              + datapointsToAlarm);
    }
  }

  /**
   * The backlog alarm both targets run, the deployed stack's and the local cloud's: the seed's
   * alarm with {@code threshold}, and missing data treated as not breaching. SQS publishes sparse
   * metrics for an idle queue and a local sample can fail; either way a missing datapoint means "no
   * backlog", not "unknown", so the alarm rests in OK instead of INSUFFICIENT_DATA (where the
   * trigger's reconciler would stop acting).
   *
   * @param alarmName the alarm's name
   * @param queueName the queue whose backlog is watched
   * @param period the period (one minute in the stack, the fastest SQS metrics)
   * @param threshold alarm when more than this many messages are visible
   */
  public static AlarmSpec backlog(
      String alarmName, String queueName, Duration period, double threshold) {
    AlarmSpec seed = seed(alarmName, queueName, period);
    return new AlarmSpec(
        seed.name(),
        seed.metricName(),
        seed.namespace(),
        seed.dimensions(),
        seed.statistic(),
        seed.period(),
        seed.comparison(),
        threshold,
        seed.evaluationPeriods(),
        seed.datapointsToAlarm(),
        TreatMissingData.NOT_BREACHING);
  }

  /**
   * The seed's alarm: more than 100 visible messages (Sum) in 1 out of 1 period, missing data
   * treated as missing (the console's default when the seed created it).
   *
   * @param alarmName the alarm's name
   * @param queueName the queue whose backlog is watched
   * @param period the period (the seed used one minute)
   */
  public static AlarmSpec seed(String alarmName, String queueName, Duration period) {
    return new AlarmSpec(
        alarmName,
        VISIBLE_MESSAGES_METRIC,
        SQS_NAMESPACE,
        Map.of(QUEUE_NAME_DIMENSION, Objects.requireNonNull(queueName, "queueName")),
        Statistic.SUM,
        period,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        SEED_THRESHOLD,
        1,
        1,
        TreatMissingData.MISSING);
  }

  /**
   * How many recent periods one evaluation looks at: {@code evaluationPeriods + 2}. Real datapoints
   * older than the last {@code evaluationPeriods} periods still count when newer ones are missing,
   * as in CloudWatch.
   */
  public int evaluationRange() {
    return evaluationPeriods + EXTRA_RANGE_PERIODS;
  }

  /**
   * The treatment the evaluation applies: {@link TreatMissingData#IGNORE} for metrics in {@code
   * AWS/DynamoDB} (CloudWatch's documented rule for that namespace), otherwise {@link
   * #treatMissingData()}.
   */
  public TreatMissingData effectiveTreatMissingData() {
    return DYNAMODB_NAMESPACE.equals(namespace) ? TreatMissingData.IGNORE : treatMissingData;
  }

  /** The period in milliseconds. */
  long periodMillis() {
    return period.toMillis();
  }

  private static void requireNonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
