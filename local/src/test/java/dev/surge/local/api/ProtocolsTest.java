package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How requests are read and answers written in each protocol, without a server. */
class ProtocolsTest {
  private static final Instant AT = Instant.parse("2026-11-27T21:50:07.251Z");

  @Test
  void theQueryProtocolsFlattenedNamesBecomeListsAndStructures() {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 1; i <= 11; i++) {
      form.put("AlarmNames.member." + i, "alarm-" + i);
    }
    form.putAll(
        ApiRequest.form(
            "Action=GetMetricStatistics&Version=2010-08-01&Dimensions.member.1.Name=QueueName"
                + "&Dimensions.member.1.Value=demo%20queue&StateValue=ALARM"));
    JsonNode tree = ApiRequest.queryTree(form);
    assertThat(tree.has("Action")).isFalse();
    assertThat(Params.texts(tree, "AlarmNames"))
        .hasSize(11)
        .startsWith("alarm-1", "alarm-2")
        .endsWith("alarm-10", "alarm-11");
    assertThat(Params.dimensions(tree.get("Dimensions"))).containsEntry("QueueName", "demo queue");
    assertThat(Params.text(tree, "StateValue")).contains("ALARM");
  }

  @Test
  void timestampsAreReadAsEpochSecondsOrIso8601() {
    JsonNode tree =
        ApiRequest.queryTree(Map.of("A", "2026-11-27T21:50:07.251Z", "B", "1795816207.251"));
    assertThat(Params.instant(tree, "A", "x")).contains(AT);
    assertThat(Params.instant(tree, "B", "x")).contains(Instant.ofEpochMilli(1795816207251L));
    assertThatThrownBy(() -> Params.instant(ApiRequest.queryTree(Map.of("A", "soon")), "A", "X"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("not a timestamp");
  }

  @Test
  void theQueryProtocolAnswersInXmlWithMembersEntriesAndIsoTimestamps() {
    Object result =
        struct(
            "MetricAlarms",
            List.of(struct("AlarmName", "a<b", "Threshold", 100.0, "StateUpdatedTimestamp", AT)),
            "Attributes",
            new Wire.Entries(Map.of("TopicArn", "arn:x")));
    String xml =
        new String(Wire.xml("DescribeAlarms", "http://ns/", result, "rid"), StandardCharsets.UTF_8);
    assertThat(xml)
        .contains("<DescribeAlarmsResponse xmlns=\"http://ns/\"><DescribeAlarmsResult>")
        .contains(
            "<MetricAlarms><member><AlarmName>a&lt;b</AlarmName><Threshold>100.0</Threshold>"
                + "<StateUpdatedTimestamp>2026-11-27T21:50:07.251Z</StateUpdatedTimestamp>"
                + "</member></MetricAlarms>")
        .contains("<Attributes><entry><key>TopicArn</key><value>arn:x</value></entry></Attributes>")
        .endsWith(
            "</DescribeAlarmsResult><ResponseMetadata><RequestId>rid</RequestId>"
                + "</ResponseMetadata></DescribeAlarmsResponse>");
  }

  @Test
  void jsonWritesTimestampsAsEpochSecondsAndLeavesOutWhatIsNotSet() {
    String json =
        new String(
            Wire.json(struct("t", AT, "n", 3, "l", 5L, "none", java.util.Optional.empty())),
            StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"t\":1795816207.251,\"n\":3,\"l\":5}");
  }

  @Test
  void cborWritesTimestampsAsTagOne() throws Exception {
    byte[] cbor = Wire.cbor(struct("t", AT));
    try (CBORParser p = new CBORFactory().createParser(cbor)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("t");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_FLOAT);
      assertThat(p.getCurrentTag()).isEqualTo(1);
      assertThat(p.getDoubleValue()).isEqualTo(1795816207.251);
    }
  }

  @Test
  void logFilterPatternsAreTermsAndPhrases() {
    assertThat(LogsApi.terms("SURGE_WORKER_SUMMARY \"queue drained\""))
        .containsExactly("SURGE_WORKER_SUMMARY", "queue drained");
    assertThat(LogsApi.terms("")).isEmpty();
    for (String unserved : List.of("{ $.action = \"launched\" }", "[ip, user]", "?ERROR ?WARN")) {
      assertThatThrownBy(() -> LogsApi.terms(unserved))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("served by the local cloud");
    }
  }

  @Test
  void anOperationWithoutOutputAnswersAnEmptyStructureOrNoResultElement() throws Exception {
    String xml =
        new String(
            Wire.xml("SetAlarmState", "http://ns/", Wire.NO_OUTPUT, "rid"), StandardCharsets.UTF_8);
    assertThat(xml)
        .endsWith(
            "<SetAlarmStateResponse xmlns=\"http://ns/\"><ResponseMetadata><RequestId>rid"
                + "</RequestId></ResponseMetadata></SetAlarmStateResponse>");
    // Another empty structure is a result, even an empty one.
    assertThat(new String(Wire.xml("X", "http://ns/", struct(), "rid"), StandardCharsets.UTF_8))
        .contains("<XResult></XResult>");
    assertThat(new String(Wire.json(Wire.NO_OUTPUT), StandardCharsets.UTF_8)).isEqualTo("{}");
    try (CBORParser p = new CBORFactory().createParser(Wire.cbor(Wire.NO_OUTPUT))) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextToken()).isEqualTo(JsonToken.END_OBJECT);
    }
  }

  @Test
  void snsMapsAndMessageAttributesAreReadFromTheQueryProtocolsEntries() {
    JsonNode tree =
        ApiRequest.queryTree(
            ApiRequest.form(
                "Action=Publish&MessageAttributes.entry.2.Name=b"
                    + "&MessageAttributes.entry.2.Value.DataType=Binary"
                    + "&MessageAttributes.entry.2.Value.BinaryValue=AAE%3D"
                    + "&MessageAttributes.entry.1.Name=a"
                    + "&MessageAttributes.entry.1.Value.DataType=Number"
                    + "&MessageAttributes.entry.1.Value.StringValue=42"
                    + "&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=x"));
    assertThat(SnsApi.messageAttributes(tree))
        .containsExactly(
            Map.entry("a", new dev.surge.local.topic.SnsEnvelope.Attribute("Number", "42")),
            Map.entry("b", new dev.surge.local.topic.SnsEnvelope.Attribute("Binary", "AAE=")));
    assertThat(SnsApi.map(tree, "Attributes")).containsExactly(Map.entry("DisplayName", "x"));
    assertThat(SnsApi.map(tree, "Tags")).isEmpty();
    assertThatThrownBy(
            () ->
                SnsApi.messageAttributes(
                    ApiRequest.queryTree(
                        ApiRequest.form(
                            "MessageAttributes.entry.1.Name=a"
                                + "&MessageAttributes.entry.1.Value.DataType=Date"
                                + "&MessageAttributes.entry.1.Value.StringValue=x"))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("supported type prefixes is Binary, Number, and String");
  }

  @Test
  void anInvocationsLogTailIsItsLastFourKilobytesInBase64() {
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(LambdaApi.tail(List.of("START", "END"))),
                StandardCharsets.UTF_8))
        .isEqualTo("START\nEND\n");
    String line = "x".repeat(1000);
    byte[] tail =
        java.util.Base64.getDecoder()
            .decode(LambdaApi.tail(List.of(line, line, line, line, line, "REPORT")));
    assertThat(tail).hasSize(LambdaApi.LOG_TAIL_BYTES);
    assertThat(new String(tail, StandardCharsets.UTF_8)).endsWith(line + "\nREPORT\n");
  }
}
