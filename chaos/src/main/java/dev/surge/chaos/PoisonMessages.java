package dev.surge.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The poison messages of a chaos run, whose bodies DynamoDB refuses as keys (over 2048 bytes), and
 * the count of the dead-letter queue that tells them from good messages dead-lettered.
 */
final class PoisonMessages {
  static final String PREFIX = "poison-";
  static final int BYTES = 3000; // over DynamoDB's 2048-byte partition key

  private PoisonMessages() {}

  /** Sends poison messages {@code from..from+n-1} (n at most 10) in one batch, retried. */
  static void send(SqsClient sqs, String queue, long from, int n) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String head = PREFIX + (from + i) + "-";
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .messageBody(head + "x".repeat(BYTES - head.length()))
              .build());
    }
    // Retried until every entry is in: a poison message not sent would be counted as lost.
    for (int attempt = 0; !entries.isEmpty(); attempt++) {
      List<SendMessageBatchRequestEntry> batch = entries;
      SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(batch));
      List<String> failed = r.failed().stream().map(f -> f.id()).toList();
      entries = batch.stream().filter(e -> failed.contains(e.id())).toList();
      if (attempt > 20) {
        throw new IllegalStateException("poison messages could not be sent: " + r.failed());
      }
    }
  }

  /**
   * The dead-letter queue's distinct bodies, each received once.
   *
   * @param poison poison messages
   * @param other good messages
   */
  record DeadLetters(long poison, long other) {
    long total() {
      return poison + other;
    }
  }

  /** Receives every dead letter once and counts the distinct bodies. */
  static DeadLetters drainDeadLetters(SqsClient sqs, String dlq) {
    Set<String> poison = new HashSet<>();
    Set<String> other = new HashSet<>();
    int empty = 0;
    while (empty < 2) {
      List<Message> batch =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(dlq)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(3600))
              .messages();
      if (batch.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      for (Message m : batch) {
        (m.body().startsWith(PREFIX) ? poison : other).add(m.body());
      }
    }
    return new DeadLetters(poison.size(), other.size());
  }
}
