package dev.surge.core.alarm;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lenient name matching shared by the alarm enums' {@code parse} methods. */
final class Names {
  private Names() {}

  /**
   * The key two spellings of one name share: lower case, without {@code _}, {@code -} or blanks, so
   * {@code "SampleCount"}, {@code "SAMPLE_COUNT"} and {@code "sample-count"} all match.
   */
  static String key(String name) {
    return name.replaceAll("[_\\-\\s]", "").toLowerCase(Locale.ROOT);
  }

  /** The error for {@code text} that names no constant of {@code type}, listing the valid names. */
  static <E extends Enum<E>> IllegalArgumentException unknown(
      String what, String text, Class<E> type, Function<E, String> name) {
    String valid =
        Arrays.stream(type.getEnumConstants()).map(name).collect(Collectors.joining(", "));
    return new IllegalArgumentException(
        "unknown " + what + " '" + text + "'; valid values: " + valid);
  }
}
