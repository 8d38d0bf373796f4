package dev.surge.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an operation's parameters from its input tree, whatever the protocol made of them: the
 * query protocol's leaves are all strings, JSON's and CBOR's are typed.
 */
final class Params {
  private Params() {}

  static Optional<String> text(JsonNode input, String name) {
    JsonNode v = input.get(name);
    return v == null || v.isNull() || v.isContainerNode()
        ? Optional.empty()
        : Optional.of(v.asText());
  }

  static String required(JsonNode input, String name, String code) {
    return text(input, name)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> ApiException.invalid(code, "the parameter " + name + " is required"));
  }

  static List<String> texts(JsonNode input, String name) {
    List<String> out = new ArrayList<>();
    JsonNode v = input.get(name);
    if (v != null && v.isArray()) {
      v.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  static List<JsonNode> list(JsonNode input, String name) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode v = input.get(name);
    if (v != null && v.isArray()) {
      v.forEach(out::add);
    }
    return out;
  }

  static Optional<Integer> integer(JsonNode input, String name, String code) {
    Optional<String> t = text(input, name);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(t.get()).intValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      throw ApiException.invalid(code, name + " must be a whole number, was '" + t.get() + "'");
    }
  }

  static Optional<Long> longValue(JsonNode input, String name, String code) {
    Optional<String> t = text(input, name);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(t.get()).longValueExact());
    } catch (ArithmeticException | NumberFormatException e) {
      throw ApiException.invalid(code, name + " must be a whole number, was '" + t.get() + "'");
    }
  }

  static boolean bool(JsonNode input, String name, boolean otherwise) {
    return text(input, name).map(Boolean::parseBoolean).orElse(otherwise);
  }

  /**
   * A timestamp: epoch seconds (JSON and CBOR clients send numbers) or ISO 8601 (the query
   * protocol).
   */
  static Optional<Instant> instant(JsonNode input, String name, String code) {
    JsonNode v = input.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(Instant.ofEpochMilli(v.decimalValue().movePointRight(3).longValue()));
    }
    String t = v.asText();
    try {
      return Optional.of(Instant.ofEpochMilli(new BigDecimal(t).movePointRight(3).longValue()));
    } catch (NumberFormatException e) {
      // not a number: ISO 8601
    }
    try {
      return Optional.of(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(t));
      } catch (DateTimeParseException e2) {
        throw ApiException.invalid(code, name + " is not a timestamp: '" + t + "'");
      }
    }
  }

  /** A list of {@code {Name, Value}} structures (CloudWatch's dimensions) as a map, in order. */
  static Map<String, String> dimensions(JsonNode dimensions) {
    Map<String, String> out = new LinkedHashMap<>();
    if (dimensions != null && dimensions.isArray()) {
      dimensions.forEach(d -> out.put(d.path("Name").asText(), d.path("Value").asText()));
    }
    return out;
  }
}
