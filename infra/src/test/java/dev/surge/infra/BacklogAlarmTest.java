package dev.surge.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The seed's alarm on the queue's visible messages, and the topic it notifies. */
class BacklogAlarmTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void topicHasTheSeedName() {
    template.resourceCountIs("AWS::SNS::Topic", 1);
    template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "fasttrack-saa"));
  }

  @Test
  void alarmWatchesVisibleMessagesOfTheWorkQueue() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "AlarmName", "fasttrack-saa-backlog",
            "Namespace", "AWS/SQS",
            "MetricName", "ApproximateNumberOfMessagesVisible",
            "Dimensions",
                List.of(
                    Map.of(
                        "Name",
                        "QueueName",
                        "Value",
                        stack.resolve(stack.queue().queue().getQueueName())))));
  }

  @Test
  void alarmFiresOnTheSumOverOneMinuteAboveOneHundred() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "Statistic", "Sum",
            "Period", 60,
            "Threshold", 100,
            "ComparisonOperator", "GreaterThanThreshold",
            "EvaluationPeriods", 1,
            "DatapointsToAlarm", 1));
  }

  @Test
  void missingDataCountsAsNoBacklog() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm", Map.of("TreatMissingData", "notBreaching"));
  }

  @Test
  void alarmNotifiesTheTopicOnAlarmOnly() {
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "AlarmActions",
            List.of(stack.resolve(stack.backlog().topic().getTopicArn())),
            "OKActions",
            Match.absent(),
            "InsufficientDataActions",
            Match.absent()));
  }
}
