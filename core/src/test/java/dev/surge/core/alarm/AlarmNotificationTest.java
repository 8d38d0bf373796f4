package dev.surge.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and writing CloudWatch's alarm notification, with real-shaped fixtures. */
class AlarmNotificationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static String fixture(String name) {
    try (InputStream in =
        AlarmNotificationTest.class.getResourceAsStream("/alarm/notification/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void readsEveryFieldOfAnAlarmNotification() {
    AlarmNotification n = AlarmNotification.parse(fixture("alarm.json"));

    assertThat(n.alarmName()).isEqualTo("fasttrack-saa-backlog");
    assertThat(n.alarmDescription()).startsWith("Backlog of demo-decoupling-saa");
    assertThat(n.awsAccountId()).isEqualTo("123456789012");
    assertThat(n.configurationUpdatedAt()).contains(Instant.parse("2026-11-27T21:41:12.804Z"));
    assertThat(n.newState()).isEqualTo(AlarmState.ALARM);
    assertThat(n.oldState()).isEqualTo(AlarmState.OK);
    assertThat(n.newStateReason()).startsWith("Threshold Crossed: 1 out of the last 1 datapoints");
    assertThat(n.newStateReasonData()).isEmpty();
    assertThat(n.stateChangeTime()).isEqualTo(Instant.parse("2026-11-27T21:50:05.123Z"));
    assertThat(n.region()).isEqualTo("US East (N. Virginia)");
    assertThat(n.alarmArn())
        .isEqualTo("arn:aws:cloudwatch:us-east-1:123456789012:alarm:fasttrack-saa-backlog");
    assertThat(n.alarmActions())
        .containsExactly("arn:aws:sns:us-east-1:123456789012:fasttrack-saa");
    assertThat(n.okActions()).isEmpty();
    assertThat(n.insufficientDataActions()).isEmpty();

    AlarmTrigger t = n.trigger();
    assertThat(t.metricName()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(t.namespace()).isEqualTo("AWS/SQS");
    assertThat(t.statisticType()).isEqualTo("Statistic");
    assertThat(t.statistic()).isEqualTo("SUM");
    assertThat(t.dimensions())
        .containsExactly(new AlarmTrigger.Dimension("QueueName", "demo-decoupling-saa"));
    assertThat(t.period()).isEqualTo(60);
    assertThat(t.evaluationPeriods()).isEqualTo(1);
    assertThat(t.datapointsToAlarm()).isEqualTo(1);
    assertThat(t.comparisonOperator()).isEqualTo("GreaterThanThreshold");
    assertThat(t.threshold()).isEqualTo(100.0);
    assertThat(t.treatMissingData()).isEqualTo("missing");
    assertThat(t.unit()).isNull();
  }

  @Test
  void writesExactlyWhatCloudWatchSent() throws IOException {
    String original = fixture("alarm.json").strip();

    String written = AlarmNotification.parse(original).toJson();

    assertThat(written).isEqualTo(original);
  }

  @ParameterizedTest
  @ValueSource(strings = {"alarm.json", "ok.json", "insufficient-data.json", "other-alarm.json"})
  void roundTripsThroughItsOwnJson(String name) {
    AlarmNotification n = AlarmNotification.parse(fixture(name));

    assertThat(AlarmNotification.parse(n.toJson())).isEqualTo(n);
  }

  @Test
  void readsTheOlderShapeWithDefaultsForWhatItLacks() throws IOException {
    AlarmNotification n = AlarmNotification.parse(fixture("insufficient-data.json"));

    assertThat(n.newState()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(n.alarmDescription()).isEmpty();
    assertThat(n.configurationUpdatedAt()).isEmpty();
    assertThat(n.alarmActions()).isEmpty();
    assertThat(n.trigger().datapointsToAlarm()).isEqualTo(n.trigger().evaluationPeriods());
    assertThat(n.trigger().missingDataTreatment()).isEqualTo("missing");

    JsonNode written = JSON.readTree(n.toJson());
    assertThat(written.get("AlarmDescription").isNull()).isTrue();
    assertThat(written.get("OKActions").isArray()).isTrue();
    assertThat(written.path("Trigger").get("DatapointsToAlarm").intValue()).isEqualTo(1);
  }

  @Test
  void writesCloudWatchsFieldNamesAndFormats() throws IOException {
    AlarmNotification n =
        new AlarmNotification(
            "a",
            "",
            "123456789012",
            Optional.empty(),
            AlarmState.ALARM,
            "Threshold Crossed",
            "{\"version\":\"1.0\"}",
            Instant.parse("2026-11-27T21:50:05.123456789Z"),
            "US East (N. Virginia)",
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a",
            AlarmState.OK,
            List.of(),
            List.of("arn:aws:sns:us-east-1:123456789012:t"),
            List.of(),
            AlarmTrigger.of(
                "ApproximateNumberOfMessagesVisible",
                "AWS/SQS",
                "SUM",
                List.of(new AlarmTrigger.Dimension("QueueName", "q")),
                60,
                3,
                2,
                "GreaterThanThreshold",
                100,
                "missing"));

    JsonNode o = JSON.readTree(n.toJson());

    assertThat(o.get("StateChangeTime").asText()).isEqualTo("2026-11-27T21:50:05.123+0000");
    assertThat(o.get("AWSAccountId").asText()).isEqualTo("123456789012");
    assertThat(o.get("NewStateReasonData").asText()).isEqualTo("{\"version\":\"1.0\"}");
    assertThat(o.has("AlarmConfigurationUpdatedTimestamp")).isFalse();
    assertThat(o.path("Trigger").path("Dimensions").toString())
        .isEqualTo("[{\"value\":\"q\",\"name\":\"QueueName\"}]");
    assertThat(o.path("Trigger").path("Threshold").isDouble()).isTrue();
    assertThat(o.path("Trigger").path("Unit").isNull()).isTrue();
    assertThat(n.subject()).isEqualTo("ALARM: \"a\" in US East (N. Virginia)");
  }

  @Test
  void unwrapsAWholeSnsEnvelope() {
    AlarmNotification n = AlarmNotification.parse(fixture("sns-envelope-alarm.json"));

    assertThat(n).isEqualTo(AlarmNotification.parse(fixture("alarm.json")));
  }

  @Test
  void theMessageOfTheLambdaSnsEventIsTheNotification() throws IOException {
    JsonNode event = JSON.readTree(fixture("sns-event-alarm.json"));
    String message = event.path("Records").path(0).path("Sns").path("Message").asText();

    assertThat(AlarmNotification.parse(message).newState()).isEqualTo(AlarmState.ALARM);
  }

  @Test
  void aHandPublishedMessageNeedsOnlyTheNameAndTheState() {
    AlarmNotification n = AlarmNotification.parse(fixture("hand-published.json"));

    assertThat(n.alarmName()).isEqualTo("fasttrack-saa-backlog");
    assertThat(n.newState()).isEqualTo(AlarmState.ALARM);
    assertThat(n.oldState()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(n.trigger().dimensions()).isEmpty();
  }

  @Test
  void unknownFieldsAreIgnored() {
    String json =
        "{\"AlarmName\":\"a\",\"NewStateValue\":\"OK\",\"SomethingNew\":{\"x\":[1,2]},"
            + "\"Trigger\":{\"Metrics\":[],\"Period\":60}}";

    assertThat(AlarmNotification.parse(json).trigger().period()).isEqualTo(60);
  }
}
