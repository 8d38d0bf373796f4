package dev.surge.core.item;

import java.nio.charset.StandardCharsets;

/** Whether a message body can be a partition key, checked before any write is attempted. */
public sealed interface KeyCheck {

  /** The body can be written. */
  record Valid() implements KeyCheck {}

  /**
   * The body can never be written; retrying will not help.
   *
   * @param reason what is wrong, fit for a log line (never the body itself)
   */
  record Invalid(String reason) implements KeyCheck {}

  /** Checks DynamoDB's rules for a String partition key: non-empty, at most 2048 UTF-8 bytes. */
  static KeyCheck of(String body) {
    if (body == null || body.isEmpty()) {
      return new Invalid("the body is empty; a partition key must not be empty");
    }
    // Cheap bound first: a UTF-8 char is at most 3 bytes per UTF-16 unit.
    if (body.length() * 3L > ItemSchema.MAX_KEY_BYTES) {
      int bytes = body.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > ItemSchema.MAX_KEY_BYTES) {
        return new Invalid(
            "the body is "
                + bytes
                + " bytes in UTF-8; a partition key may hold at most "
                + ItemSchema.MAX_KEY_BYTES);
      }
    }
    return new Valid();
  }
}
