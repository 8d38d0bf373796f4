package dev.surge.trigger;

import static dev.surge.testing.AwsStub.cbor;
import static dev.surge.testing.AwsStub.cloudWatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.surge.core.ConfigException;
import dev.surge.core.alarm.AlarmState;
import dev.surge.testing.AwsStub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The alarm-state probe against a local HTTP stub. This SDK version speaks Smithy RPC v2 CBOR to
 * CloudWatch (not the older query protocol): the stub decodes the request and answers in CBOR.
 */
class CloudWatchAlarmStateProbeIT {
  private static final String ALARM = "fasttrack-saa-backlog";

  private static AwsStub stub;
  private static CloudWatchClient cloudWatch;

  @BeforeAll
  static void start() {
    stub = new AwsStub();
    cloudWatch = StubbedAws.clients(stub).build(CloudWatchClient.builder(), "CLOUDWATCH");
  }

  @AfterAll
  static void stop() {
    cloudWatch.close();
    stub.close();
  }

  @BeforeEach
  void reset() {
    stub.server.resetAll();
  }

  private static Map<String, Object> alarm(String state) {
    return Map.of(
        "AlarmName",
        ALARM,
        "AlarmArn",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + ALARM,
        "StateValue",
        state,
        "MetricName",
        "ApproximateNumberOfMessagesVisible",
        "Namespace",
        "AWS/SQS",
        "Statistic",
        "Sum",
        "Period",
        60,
        "EvaluationPeriods",
        1,
        "Threshold",
        100.0,
        "ComparisonOperator",
        "GreaterThanThreshold");
  }

  @ParameterizedTest
  @EnumSource(AlarmState.class)
  void readsTheStateWithOneDescribeAlarmsByName(AlarmState state) {
    stub.server.stubFor(
        cloudWatch("DescribeAlarms")
            .willReturn(
                cbor(
                    Map.of(
                        "MetricAlarms", List.of(alarm(state.name())),
                        "CompositeAlarms", List.of()))));

    assertThat(new CloudWatchAlarmStateProbe(cloudWatch, ALARM).state()).isEqualTo(state);

    List<LoggedRequest> requests = stub.cloudWatchRequests("DescribeAlarms");
    assertThat(requests).hasSize(1);
    LoggedRequest r = requests.get(0);
    assertThat(r.getHeader("smithy-protocol")).isEqualTo("rpc-v2-cbor");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/cbor");
    JsonNode body = AwsStub.readCbor(r.getBody());
    assertThat(body.get("AlarmNames").toString()).isEqualTo("[\"" + ALARM + "\"]");
    assertThat(body.get("AlarmTypes").toString()).isEqualTo("[\"MetricAlarm\"]");
  }

  @Test
  void aMissingAlarmIsAConfigErrorThatNamesIt() {
    stub.server.stubFor(
        cloudWatch("DescribeAlarms")
            .willReturn(cbor(Map.of("MetricAlarms", List.of(), "CompositeAlarms", List.of()))));

    assertThatThrownBy(() -> new CloudWatchAlarmStateProbe(cloudWatch, ALARM).state())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("alarm 'fasttrack-saa-backlog' does not exist")
        .hasMessageContaining("SURGE_ALARM");
  }
}
