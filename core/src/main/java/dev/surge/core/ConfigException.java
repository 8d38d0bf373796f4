package dev.surge.core;

/**
 * A configuration the user can fix: a bad value, a missing resource. Commands turn it into a
 * message on standard error and exit code 2; its message says what is wrong and what to do.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message} (what is wrong, then what to do). */
  public ConfigException(String message) {
    super(message);
  }

  /** A problem described by {@code message}, caused by {@code cause}. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
