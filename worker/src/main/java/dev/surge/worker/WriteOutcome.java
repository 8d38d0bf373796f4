package dev.surge.worker;

/** What became of one item's write. */
sealed interface WriteOutcome {

  /** The item is in the table: its messages may be deleted. */
  record Written() implements WriteOutcome {}

  /**
   * The item can never be written (DynamoDB rejected it as invalid): its messages are released and
   * reach the dead-letter queue after the queue's {@code maxReceiveCount}.
   *
   * @param reason DynamoDB's reason
   */
  record Rejected(String reason) implements WriteOutcome {}

  /**
   * The item was not written this time (throttled, unprocessed after every retry, unreachable): its
   * messages stay hidden and come back after the visibility timeout.
   *
   * @param reason the last failure
   */
  record Retry(String reason) implements WriteOutcome {}

  /** The shared instance for success. */
  WriteOutcome WRITTEN = new Written();
}
