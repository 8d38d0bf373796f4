package dev.surge.core.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The message CloudWatch publishes to an SNS topic when a metric alarm changes state (the SNS
 * record's {@code Message}). {@link #parse} reads what CloudWatch sends, old and new spellings
 * alike; {@link #toJson} writes CloudWatch's field names and formats, so the local alarm publishes
 * what the real one would and a notification round-trips.
 *
 * @param alarmName the alarm's name
 * @param alarmDescription its description; {@code ""} when it has none (CloudWatch sends {@code
 *     null})
 * @param awsAccountId the account, {@code AWSAccountId}
 * @param configurationUpdatedAt {@code AlarmConfigurationUpdatedTimestamp}, which newer
 *     notifications carry
 * @param newState {@code NewStateValue}
 * @param newStateReason {@code NewStateReason}, the sentence the console shows
 * @param newStateReasonData {@code NewStateReasonData} as JSON text, or {@code ""} when absent
 * @param stateChangeTime {@code StateChangeTime}, at millisecond precision (the epoch when a
 *     hand-written message has none)
 * @param region the region's long name, e.g. {@code US East (N. Virginia)}
 * @param alarmArn {@code AlarmArn}, or {@code ""} when absent
 * @param oldState {@code OldStateValue} ({@code INSUFFICIENT_DATA} when absent: an alarm's initial
 *     state)
 * @param okActions {@code OKActions}
 * @param alarmActions {@code AlarmActions}
 * @param insufficientDataActions {@code InsufficientDataActions}
 * @param trigger the metric and the rule ({@code Trigger})
 */
public record AlarmNotification(
    String alarmName,
    String alarmDescription,
    String awsAccountId,
    Optional<Instant> configurationUpdatedAt,
    AlarmState newState,
    String newStateReason,
    String newStateReasonData,
    Instant stateChangeTime,
    String region,
    String alarmArn,
    AlarmState oldState,
    List<String> okActions,
    List<String> alarmActions,
    List<String> insufficientDataActions,
    AlarmTrigger trigger) {

  /** CloudWatch's timestamp format in notifications: {@code 2026-11-27T21:50:05.123+0000}. */
  public static final DateTimeFormatter TIME_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter TIME_PARSE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss[.SSS]xx");
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final int MAX_ECHO = 40;

  /** Requires every part; copies the lists; keeps times at millisecond precision. */
  public AlarmNotification {
    Objects.requireNonNull(alarmName, "alarmName");
    alarmDescription = alarmDescription == null ? "" : alarmDescription;
    Objects.requireNonNull(awsAccountId, "awsAccountId");
    configurationUpdatedAt =
        Objects.requireNonNull(configurationUpdatedAt, "configurationUpdatedAt")
            .map(t -> t.truncatedTo(ChronoUnit.MILLIS));
    Objects.requireNonNull(newState, "newState");
    Objects.requireNonNull(newStateReason, "newStateReason");
    Objects.requireNonNull(newStateReasonData, "newStateReasonData");
    stateChangeTime =
        Objects.requireNonNull(stateChangeTime, "stateChangeTime").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(alarmArn, "alarmArn");
    Objects.requireNonNull(oldState, "oldState");
    okActions = List.copyOf(okActions);
    alarmActions = List.copyOf(alarmActions);
    insufficientDataActions = List.copyOf(insufficientDataActions);
    Objects.requireNonNull(trigger, "trigger");
  }

  /**
   * Reads a notification. Unknown fields are ignored; {@code AlarmName} and {@code NewStateValue}
   * are required; other absent fields take empty values. A whole SNS envelope ({@code
   * "Type":"Notification"} with a {@code Message}) is unwrapped once.
   *
   * @throws MalformedNotificationException when {@code json} is not JSON, lacks a required field or
   *     has a field of the wrong kind; the message names the field
   */
  public static AlarmNotification parse(String json) {
    if (json == null || json.isBlank()) {
      throw new MalformedNotificationException("empty message: expected a CloudWatch alarm JSON");
    }
    JsonNode root = readTree(json);
    if (!root.has("AlarmName") && isSnsEnvelope(root)) {
      root = readTree(root.get("Message").asText());
    }
    return fromTree(root);
  }

  /** CloudWatch's JSON for this notification (field names, order and formats as CloudWatch's). */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("AlarmName", alarmName);
    if (alarmDescription.isEmpty()) {
      o.putNull("AlarmDescription");
    } else {
      o.put("AlarmDescription", alarmDescription);
    }
    o.put("AWSAccountId", awsAccountId);
    configurationUpdatedAt.ifPresent(
        t -> o.put("AlarmConfigurationUpdatedTimestamp", TIME_FORMAT.format(t)));
    o.put("NewStateValue", newState.name());
    o.put("NewStateReason", newStateReason);
    if (!newStateReasonData.isEmpty()) {
      o.put("NewStateReasonData", newStateReasonData);
    }
    o.put("StateChangeTime", TIME_FORMAT.format(stateChangeTime));
    o.put("Region", region);
    o.put("AlarmArn", alarmArn);
    o.put("OldStateValue", oldState.name());
    strings(o.putArray("OKActions"), okActions);
    strings(o.putArray("AlarmActions"), alarmActions);
    strings(o.putArray("InsufficientDataActions"), insufficientDataActions);
    ObjectNode t = o.putObject("Trigger");
    t.put("MetricName", trigger.metricName());
    t.put("Namespace", trigger.namespace());
    t.put("StatisticType", trigger.statisticType());
    t.put("Statistic", trigger.statistic());
    t.put("Unit", trigger.unit());
    ArrayNode dims = t.putArray("Dimensions");
    for (AlarmTrigger.Dimension d : trigger.dimensions()) {
      dims.addObject().put("value", d.value()).put("name", d.name());
    }
    t.put("Period", trigger.period());
    t.put("EvaluationPeriods", trigger.evaluationPeriods());
    t.put("DatapointsToAlarm", trigger.datapointsToAlarm());
    t.put("ComparisonOperator", trigger.comparisonOperator());
    t.put("Threshold", trigger.threshold());
    t.put("TreatMissingData", trigger.treatMissingData());
    t.put("EvaluateLowSampleCountPercentile", trigger.evaluateLowSampleCountPercentile());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serializes", e);
    }
  }

  /** The SNS {@code Subject} CloudWatch uses: {@code ALARM: "name" in US East (N. Virginia)}. */
  public String subject() {
    return newState.name() + ": \"" + alarmName + "\" in " + region;
  }

  private static JsonNode readTree(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.isObject()) {
        throw new MalformedNotificationException(
            "not a JSON object: expected a CloudWatch alarm notification");
      }
      return root;
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the payload; say where instead, and drop the cause.
      var at = e.getLocation();
      throw new MalformedNotificationException(
          "not JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": expected a CloudWatch alarm notification");
    }
  }

  private static boolean isSnsEnvelope(JsonNode root) {
    return "Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual();
  }

  private static AlarmNotification fromTree(JsonNode o) {
    String name = requiredText(o, "AlarmName");
    AlarmState newState = state(o, "NewStateValue", true);
    JsonNode reasonData = o.path("NewStateReasonData");
    JsonNode updated = o.path("AlarmConfigurationUpdatedTimestamp");
    return new AlarmNotification(
        name,
        text(o, "AlarmDescription"),
        text(o, "AWSAccountId"),
        isAbsent(updated)
            ? Optional.empty()
            : Optional.of(time("AlarmConfigurationUpdatedTimestamp", updated)),
        newState,
        text(o, "NewStateReason"),
        reasonData.isContainerNode() ? reasonData.toString() : text(o, "NewStateReasonData"),
        isAbsent(o.path("StateChangeTime"))
            ? Instant.EPOCH
            : time("StateChangeTime", o.get("StateChangeTime")),
        text(o, "Region"),
        text(o, "AlarmArn"),
        state(o, "OldStateValue", false),
        stringList(o, "OKActions"),
        stringList(o, "AlarmActions"),
        stringList(o, "InsufficientDataActions"),
        trigger(o.path("Trigger")));
  }

  private static AlarmTrigger trigger(JsonNode t) {
    if (isAbsent(t)) {
      return AlarmTrigger.unknown();
    }
    if (!t.isObject()) {
      throw new MalformedNotificationException("Trigger is not an object");
    }
    int evaluationPeriods = integer(t, "EvaluationPeriods", 0);
    JsonNode unit = t.path("Unit");
    return new AlarmTrigger(
        text(t, "MetricName"),
        text(t, "Namespace"),
        text(t, "StatisticType"),
        text(t, "Statistic"),
        dimensions(t.path("Dimensions")),
        integer(t, "Period", 0),
        evaluationPeriods,
        integer(t, "DatapointsToAlarm", evaluationPeriods),
        text(t, "ComparisonOperator"),
        number(t, "Threshold"),
        text(t, "TreatMissingData"),
        text(t, "EvaluateLowSampleCountPercentile"),
        isAbsent(unit) ? null : scalar("Trigger.Unit", unit));
  }

  private static List<AlarmTrigger.Dimension> dimensions(JsonNode a) {
    if (isAbsent(a)) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new MalformedNotificationException("Trigger.Dimensions is not an array");
    }
    List<AlarmTrigger.Dimension> out = new ArrayList<>();
    for (JsonNode d : a) {
      if (!d.isObject() || !d.path("name").isTextual() || !d.path("value").isValueNode()) {
        throw new MalformedNotificationException(
            "Trigger.Dimensions[" + out.size() + "] is not {\"value\":...,\"name\":...}");
      }
      out.add(new AlarmTrigger.Dimension(d.get("name").asText(), d.get("value").asText()));
    }
    return out;
  }

  private static String requiredText(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (isAbsent(v)) {
      throw new MalformedNotificationException(field + " is missing: not a CloudWatch alarm");
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new MalformedNotificationException(field + " is not a non-empty string");
    }
    return v.asText();
  }

  private static AlarmState state(JsonNode o, String field, boolean required) {
    JsonNode v = o.path(field);
    if (isAbsent(v) && !required) {
      return AlarmState.INSUFFICIENT_DATA;
    }
    String raw = requiredText(o, field);
    try {
      return AlarmState.valueOf(raw);
    } catch (IllegalArgumentException e) {
      throw new MalformedNotificationException(
          field + " '" + echo(raw) + "' is not OK, ALARM or INSUFFICIENT_DATA");
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.path(field);
    return isAbsent(v) ? "" : scalar(field, v);
  }

  private static String scalar(String field, JsonNode v) {
    if (!v.isValueNode()) {
      throw new MalformedNotificationException(field + " is not a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode o, String field, int fallback) {
    JsonNode v = o.path(field);
    if (isAbsent(v)) {
      return fallback;
    }
    if (v.canConvertToInt() && v.isIntegralNumber() && v.intValue() >= 0) {
      return v.intValue();
    }
    throw new MalformedNotificationException("Trigger." + field + " is not a whole number >= 0");
  }

  private static double number(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (isAbsent(v)) {
      return 0;
    }
    if (!v.isNumber()) {
      throw new MalformedNotificationException("Trigger." + field + " is not a number");
    }
    return v.doubleValue();
  }

  private static List<String> stringList(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (isAbsent(v)) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new MalformedNotificationException(field + " is not an array");
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> out.add(scalar(field + "[]", e)));
    return out;
  }

  private static Instant time(String field, JsonNode v) {
    String raw = scalar(field, v);
    try {
      return OffsetDateTime.parse(raw, TIME_PARSE).toInstant();
    } catch (DateTimeParseException notCloudWatchStyle) {
      try {
        return OffsetDateTime.parse(raw).toInstant();
      } catch (DateTimeParseException e) {
        throw new MalformedNotificationException(
            field + " '" + echo(raw) + "' is not a time like 2026-11-27T21:50:05.123+0000");
      }
    }
  }

  private static boolean isAbsent(JsonNode v) {
    return v.isMissingNode() || v.isNull();
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static String echo(String raw) {
    return raw.length() <= MAX_ECHO ? raw : raw.substring(0, MAX_ECHO) + "...";
  }
}
