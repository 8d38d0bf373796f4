package dev.surge.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the query parameters the dashboard takes: {@code after}, a sequence number, and {@code
 * snapshots}, {@code 1} or {@code 0}.
 */
final class Query {
  private Query() {}

  /**
   * The {@code after} parameter of a raw query string, if present.
   *
   * @throws IllegalArgumentException if it is not a non-negative integer
   */
  static OptionalLong after(String rawQuery) {
    Optional<String> value = value(rawQuery, "after");
    return value.isPresent()
        ? OptionalLong.of(sequence("after", value.get()))
        : OptionalLong.empty();
  }

  /**
   * Whether a raw query string asks for snapshots ({@code snapshots=1}); absent is no.
   *
   * @throws IllegalArgumentException if {@code snapshots} is given as anything but 1 or 0
   */
  static boolean snapshots(String rawQuery) {
    Optional<String> value = value(rawQuery, "snapshots");
    if (value.isEmpty() || value.get().equals("0")) {
      return false;
    }
    if (value.get().equals("1")) {
      return true;
    }
    throw new IllegalArgumentException("snapshots must be 1 or 0, was '" + value.get() + "'");
  }

  /** The first value of parameter {@code name} ("" when it has none), if present. */
  private static Optional<String> value(String rawQuery, String name) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return Optional.of(
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
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
