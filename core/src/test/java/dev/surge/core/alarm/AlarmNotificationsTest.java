package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmNotificationsTest {
  @Test
  void theLocalAlarmsMessageParsesAsTheCloudWatchNotificationTheTriggerReads() {
    AlarmSpec spec =
        AlarmSpec.seed("fasttrack-saa-backlog", "demo-decoupling-saa", Duration.ofSeconds(5));
    AlarmTransition t =
        new AlarmTransition(
            spec.name(),
            AlarmState.OK,
            AlarmState.ALARM,
            "Threshold Crossed: 1 out of the last 1 datapoints [1100.0 (27/11/26 21:50:00)] was"
                + " greater than the threshold (100.0)",
            Instant.parse("2026-11-27T21:50:05.123Z"),
            List.of(new Datapoint(Instant.parse("2026-11-27T21:50:00Z"), 1100)),
            "{}");

    AlarmNotification n =
        AlarmNotification.parse(
            AlarmNotifications.of(
                    spec, t, "us-east-1", "000000000000", "arn:aws:sns:us-east-1:000000000000:t")
                .toJson());

    assertThat(n.alarmName()).isEqualTo("fasttrack-saa-backlog");
    assertThat(n.newState()).isEqualTo(AlarmState.ALARM);
    assertThat(n.oldState()).isEqualTo(AlarmState.OK);
    assertThat(n.region()).isEqualTo("US East (N. Virginia)");
    assertThat(n.stateChangeTime()).isEqualTo(Instant.parse("2026-11-27T21:50:05.123Z"));
    assertThat(n.alarmActions()).containsExactly("arn:aws:sns:us-east-1:000000000000:t");
    assertThat(n.trigger().metricName()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(n.trigger().namespace()).isEqualTo("AWS/SQS");
    assertThat(n.trigger().statistic()).isEqualTo("SUM");
    assertThat(n.trigger().period()).isEqualTo(5);
    assertThat(n.trigger().comparisonOperator()).isEqualTo("GreaterThanThreshold");
    assertThat(n.trigger().threshold()).isEqualTo(100.0);
    assertThat(n.trigger().dimensions())
        .containsExactly(new AlarmTrigger.Dimension("QueueName", "demo-decoupling-saa"));
  }

  @Test
  void anAlarmsOwnDescriptionAndActionsAreInItsNotification() {
    AlarmSpec spec = AlarmSpec.seed("other", "q", Duration.ofSeconds(60));
    AlarmTransition t =
        new AlarmTransition(
            "other",
            AlarmState.ALARM,
            AlarmState.OK,
            "testing",
            Instant.parse("2026-11-27T21:50:05.123Z"),
            List.of(),
            "");
    AlarmNotifications.Actions actions =
        new AlarmNotifications.Actions(List.of("arn:ok"), List.of("arn:alarm"), List.of());

    AlarmNotification n =
        AlarmNotification.parse(
            AlarmNotifications.of(
                    spec,
                    t,
                    "us-east-1",
                    "000000000000",
                    "a description",
                    java.util.Optional.of(Instant.parse("2026-11-27T21:00:00Z")),
                    actions)
                .toJson());

    assertThat(n.alarmDescription()).isEqualTo("a description");
    assertThat(n.okActions()).containsExactly("arn:ok");
    assertThat(n.alarmActions()).containsExactly("arn:alarm");
    assertThat(n.insufficientDataActions()).isEmpty();
    assertThat(n.newStateReasonData()).isEmpty();
    assertThat(n.configurationUpdatedAt()).contains(Instant.parse("2026-11-27T21:00:00Z"));
    assertThat(actions.of(AlarmState.OK)).containsExactly("arn:ok");
    assertThat(actions.of(AlarmState.INSUFFICIENT_DATA)).isEmpty();
  }
}
