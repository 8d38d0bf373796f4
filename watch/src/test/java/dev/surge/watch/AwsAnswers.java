package dev.surge.watch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the AWS APIs the observer calls answer, in the shapes AWS gives them and in the stubs'
 * account: tasks as ECS describes them, alarms as CloudWatch lists them, log events as CloudWatch
 * Logs filters them. The tests serve them from the shared {@code dev.surge.testing.AwsStub}.
 */
final class AwsAnswers {
  static final String ACCOUNT = "123456789012";

  private AwsAnswers() {}

  /** A log event as FilterLogEvents lists it. */
  static Map<String, Object> logEvent(String id, String stream, long timestamp, String message) {
    return Map.of(
        "eventId", id,
        "logStreamName", stream,
        "timestamp", timestamp,
        "ingestionTime", timestamp + 500,
        "message", message);
  }

  /** A task ARN of the test cluster. */
  static String taskArn(String cluster, String id) {
    return "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/" + cluster + "/" + id;
  }

  /**
   * A described Fargate task with a worker container named {@code container}, in ECS's {@code
   * lastStatus} spelling; a STOPPED task has an exit code and a stop reason.
   */
  static Map<String, Object> task(
      String cluster, String container, String id, String lastStatus, int exitCode) {
    Map<String, Object> worker =
        "STOPPED".equals(lastStatus)
            ? Map.of("name", container, "lastStatus", lastStatus, "exitCode", exitCode)
            : Map.of("name", container, "lastStatus", lastStatus);
    Map<String, Object> base =
        Map.of(
            "taskArn",
            taskArn(cluster, id),
            "lastStatus",
            lastStatus,
            "desiredStatus",
            "STOPPED".equals(lastStatus) ? "STOPPED" : "RUNNING",
            "launchType",
            "FARGATE",
            "startedBy",
            "surge",
            "createdAt",
            1795816207.25,
            "containers",
            List.of(worker));
    if (!"STOPPED".equals(lastStatus)) {
      return base;
    }
    Map<String, Object> stopped = new HashMap<>(base);
    stopped.put("stoppedAt", 1795816512.5);
    stopped.put("stoppedReason", "Essential container in task exited");
    return stopped;
  }

  /** A metric alarm as DescribeAlarms lists it. */
  static Map<String, Object> alarm(String name, String state, String reason, Instant since) {
    return Map.of(
        "AlarmName",
        name,
        "AlarmArn",
        "arn:aws:cloudwatch:us-east-1:" + ACCOUNT + ":alarm:" + name,
        "StateValue",
        state,
        "StateReason",
        reason,
        "StateTransitionedTimestamp",
        since,
        "MetricName",
        "ApproximateNumberOfMessagesVisible",
        "Namespace",
        "AWS/SQS",
        "Statistic",
        "Sum",
        "Threshold",
        100.0,
        "ComparisonOperator",
        "GreaterThanThreshold");
  }
}
