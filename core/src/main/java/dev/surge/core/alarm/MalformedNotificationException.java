package dev.surge.core.alarm;

/**
 * A message that is not a usable CloudWatch alarm notification. Its message says what is missing or
 * wrong and never repeats the payload (which may be large, or not ours to log).
 */
public final class MalformedNotificationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}. */
  public MalformedNotificationException(String message) {
    super(message);
  }

  /** A problem described by {@code message}, caused by {@code cause}. */
  public MalformedNotificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
