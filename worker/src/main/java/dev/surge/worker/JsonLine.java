package dev.surge.worker;

import java.util.Locale;

/**
 * A one-line JSON object written by hand, for the worker's ready and summary lines: Jackson's
 * {@code ObjectMapper} would load some 300 classes into a process that otherwise never needs them,
 * on its start (the ready line) and on its stop (the summary, which must be out within moments of a
 * SIGTERM).
 */
final class JsonLine {
  private final StringBuilder b = new StringBuilder(256).append('{');

  JsonLine put(String name, String value) {
    return name(name).appendString(value);
  }

  JsonLine put(String name, long value) {
    name(name).b.append(value);
    return this;
  }

  JsonLine put(String name, double value) {
    name(name).b.append(Double.isFinite(value) ? Double.toString(value) : "null");
    return this;
  }

  JsonLine put(String name, JsonLine object) {
    name(name).b.append(object);
    return this;
  }

  @Override
  public String toString() {
    return b + "}";
  }

  private JsonLine name(String name) {
    if (b.length() > 1) {
      b.append(',');
    }
    appendString(name).b.append(':');
    return this;
  }

  private JsonLine appendString(String s) {
    b.append(quote(s));
    return this;
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
