package dev.surge.core.item;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Attribute names of the table items; {@link #KEY} is the table's only key (type String). */
public final class ItemSchema {
  /** Partition key: the message body (String). */
  public static final String KEY = "queueMessage";

  /** DynamoDB's type of {@link #KEY}: String. */
  public static final String KEY_TYPE = "S";

  /** Host name of the processing task (String). */
  public static final String HOST = "host";

  /** The queue's message id (String). */
  public static final String MESSAGE_ID = "messageId";

  /** The processing task's id (String). */
  public static final String TASK_ID = "taskId";

  /** ISO-8601 instant the queue accepted the message (String). */
  public static final String SENT_AT = "sentAt";

  /** ISO-8601 instant the worker built the item (String). */
  public static final String PROCESSED_AT = "processedAt";

  /** Receives it took to process the message (Number). */
  public static final String RECEIVE_COUNT = "receiveCount";

  /** Milliseconds from sent to processed (Number). */
  public static final String LATENCY_MS = "latencyMs";

  /** DynamoDB's limit on a String partition key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 2048;

  private ItemSchema() {}

  /**
   * One attribute of a table's primary key, as {@code DescribeTable} gives it.
   *
   * @param name the attribute's name
   * @param sortKey whether it is the sort (range) key rather than the partition (hash) key
   * @param type DynamoDB's scalar type: {@code S}, {@code N} or {@code B}
   */
  public record KeyAttribute(String name, boolean sortKey, String type) {
    /** Requires every part. */
    public KeyAttribute {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /** The key these items need: {@link #KEY} of type {@link #KEY_TYPE}, and no sort key. */
  public static String expectedKey() {
    return KEY + " (" + KEY_TYPE + ") and no sort key";
  }

  /**
   * Why a table whose primary key is {@code key} cannot hold these items, if it cannot: every write
   * to it would fail DynamoDB's validation ("Missing the key", "Type mismatch").
   *
   * @return what the table's key is (for example {@code "id (S)"}, or {@code "queueMessage (S) and
   *     sort key at (N)"}), when it is not {@link #expectedKey()}; empty when it is
   */
  public static Optional<String> keyMismatch(List<KeyAttribute> key) {
    Objects.requireNonNull(key, "key");
    boolean fits =
        key.size() == 1
            && !key.get(0).sortKey()
            && key.get(0).name().equals(KEY)
            && key.get(0).type().equals(KEY_TYPE);
    if (fits) {
      return Optional.empty();
    }
    StringBuilder described = new StringBuilder();
    key.stream()
        .filter(a -> !a.sortKey())
        .forEach(a -> described.append(a.name()).append(" (").append(a.type()).append(')'));
    key.stream()
        .filter(KeyAttribute::sortKey)
        .forEach(
            a ->
                described
                    .append(described.length() == 0 ? "" : " and ")
                    .append("sort key ")
                    .append(a.name())
                    .append(" (")
                    .append(a.type())
                    .append(')'));
    return Optional.of(described.length() == 0 ? "no key attributes" : described.toString());
  }
}
