package dev.surge.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed reads of a settings map (container-style environment variables). Every bad value becomes a
 * {@link ConfigException} that names the variable, the value and the accepted range.
 */
public final class Env {
  private final Map<String, String> values;

  /** Reads from {@code values}, usually {@code System.getenv()} captured once in a {@code main}. */
  public Env(Map<String, String> values) {
    this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** The raw value, if present and not blank. */
  public Optional<String> get(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** The value, or {@code fallback} when absent. */
  public String string(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
  public int integer(String name, int fallback, int min, int max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        throw outOfRange(name, raw.get(), min + ".." + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          name + "='" + raw.get() + "' is not a whole number; set it to " + min + ".." + max, e);
    }
  }

  /**
   * A duration given in (possibly fractional) seconds, in {@code [min, max]}, or {@code fallback}
   * when absent.
   */
  public Duration seconds(String name, Duration fallback, Duration min, Duration max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return parseSeconds(name, raw.get(), min, max);
  }

  /** Parses {@code text} as seconds for setting {@code name}; see {@link #seconds}. */
  public static Duration parseSeconds(String name, String text, Duration min, Duration max) {
    String range = min.toMillis() / 1000.0 + ".." + max.toMillis() / 1000.0 + " seconds";
    try {
      long millis = new BigDecimal(text.trim()).movePointRight(3).longValueExact();
      Duration d = Duration.ofMillis(millis);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw outOfRange(name, text, range);
      }
      return d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(
          name + "='" + text + "' is not a number of seconds (milliseconds at most); use " + range,
          e);
    }
  }

  private static ConfigException outOfRange(String name, String value, String range) {
    return new ConfigException(name + "='" + value + "' is out of range; use " + range);
  }
}
