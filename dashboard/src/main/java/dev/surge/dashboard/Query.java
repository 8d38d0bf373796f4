package dev.surge.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Reads the one query parameter the dashboard takes: {@code after}, a sequence number. */
final class Query {
  private Query() {}

  /**
   * The {@code after} parameter of a raw query string, if present.
   *
   * @throws IllegalArgumentException if it is not a non-negative integer
   */
  static OptionalLong after(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return OptionalLong.empty();
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (name.equals("after")) {
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return OptionalLong.of(sequence("after", value));
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Parses a sequence number ({@code after=}, {@code Last-Event-ID}).
   *
   * @throws IllegalArgumentException if it is not a non-negative integer
   */
  static long sequence(String what, String value) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the parameter's name.
    }
    throw new IllegalArgumentException(
        what + " must be a sequence number (0, 1, 2, ...), was '" + value + "'");
  }
}
