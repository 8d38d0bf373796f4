package dev.surge.core.item;

/** Attribute names of the table items; {@link #KEY} is the table's only key (type String). */
public final class ItemSchema {
  /** Partition key: the message body (String). */
  public static final String KEY = "queueMessage";

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
}
