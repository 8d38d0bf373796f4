package dev.surge.infra;

import dev.surge.core.alarm.AlarmSpec;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
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
    // The one definition of the backlog alarm, which the local cloud runs too.
    AlarmSpec spec =
        AlarmSpec.backlog(
            props.alarmName(),
            props.queue().getQueueName(),
            java.time.Duration.ofMinutes(1),
            props.threshold());
    Metric visible =
        Metric.Builder.create()
            .namespace(spec.namespace())
            .metricName(spec.metricName())
            .dimensionsMap(spec.dimensions())
            .statistic(spec.statistic().cloudWatchName())
            .period(Duration.seconds(spec.period().toSeconds()))
            .build();
    this.alarm =
        Alarm.Builder.create(this, "Alarm")
            .alarmName(spec.name())
            .alarmDescription(
                "More than "
                    + props.threshold()
                    + " messages visible in "
                    + props.queue().getQueueName()
                    + ": notifies the topic, whose function starts workers")
            .metric(visible)
            .threshold(spec.threshold())
            .comparisonOperator(ComparisonOperator.valueOf(spec.comparison().name()))
            .evaluationPeriods(spec.evaluationPeriods())
            .datapointsToAlarm(spec.datapointsToAlarm())
            .treatMissingData(TreatMissingData.valueOf(spec.treatMissingData().name()))
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
