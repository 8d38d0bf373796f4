package dev.surge.infra;

import dev.surge.core.alarm.AlarmSpec;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.Stats;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/** The seed's alarm on the queue's backlog and the topic it notifies. */
final class BacklogAlarm extends Construct {

  /**
   * The alarm's settings.
   *
   * @param topicName the topic the alarm notifies
   * @param alarmName the alarm
   * @param queue the queue whose visible messages are watched
   * @param threshold visible messages above which the alarm fires
   */
  record Props(String topicName, String alarmName, IQueue queue, int threshold) {}

  private final Topic topic;
  private final Alarm alarm;

  BacklogAlarm(Construct scope, String id, Props props) {
    super(scope, id);
    this.topic = Topic.Builder.create(this, "Topic").topicName(props.topicName()).build();
    Metric visible =
        Metric.Builder.create()
            .namespace(AlarmSpec.SQS_NAMESPACE)
            .metricName(AlarmSpec.VISIBLE_MESSAGES_METRIC)
            .dimensionsMap(Map.of(AlarmSpec.QUEUE_NAME_DIMENSION, props.queue().getQueueName()))
            .statistic(Stats.SUM)
            .period(Duration.minutes(1))
            .build();
    this.alarm =
        Alarm.Builder.create(this, "Alarm")
            .alarmName(props.alarmName())
            .alarmDescription(
                "More than "
                    + props.threshold()
                    + " messages visible in "
                    + props.queue().getQueueName()
                    + ": notifies the topic, whose function starts workers")
            .metric(visible)
            .threshold(props.threshold())
            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
            .evaluationPeriods(1)
            .datapointsToAlarm(1)
            // SQS publishes sparse metrics for an idle queue; a missing datapoint means "no
            // backlog", not "unknown", so the alarm rests in OK instead of INSUFFICIENT_DATA.
            // (The seed, created in the console, kept the default "missing".)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    // ALARM only, as the seed: returning to OK needs no action, the workers exit on their own.
    alarm.addAlarmAction(new SnsAction(topic));
  }

  Topic topic() {
    return topic;
  }

  Alarm alarm() {
    return alarm;
  }
}
