package dev.surge.worker;

import dev.surge.core.item.QueueMessage;
import dev.surge.core.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The worker's side of the queue: receive, delete, release, extend — batched, with SDK types kept
 * inside. Batch failures are matched back to messages by entry id (the message's position).
 */
final class SqsMessageSource {
  private static final Logger log = LoggerFactory.getLogger(SqsMessageSource.class);

  /** SQS's limit per ReceiveMessage and per batch call. */
  static final int MAX_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final Optional<Duration> visibility;
  private final Backoff deleteBackoff;

  SqsMessageSource(
      SqsClient sqs, String queueUrl, Optional<Duration> visibility, Backoff deleteBackoff) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.visibility = Objects.requireNonNull(visibility, "visibility");
    this.deleteBackoff = Objects.requireNonNull(deleteBackoff, "deleteBackoff");
  }

  String queueUrl() {
    return queueUrl;
  }

  /** One long poll for up to {@code max} messages. */
  List<QueueMessage> receive(int max, Duration wait) {
    ReceiveMessageRequest.Builder b =
        ReceiveMessageRequest.builder()
            .queueUrl(queueUrl)
            .maxNumberOfMessages(Math.min(MAX_BATCH, max))
            .waitTimeSeconds((int) wait.toSeconds())
            .messageSystemAttributeNames(
                MessageSystemAttributeName.SENT_TIMESTAMP,
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    visibility.ifPresent(v -> b.visibilityTimeout((int) v.toSeconds()));
    List<Message> messages = sqs.receiveMessage(b.build()).messages();
    List<QueueMessage> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      out.add(toQueueMessage(m));
    }
    return out;
  }

  /**
   * Deletes {@code messages}; returns those whose delete failed (left to redelivery). Entries that
   * fail by SQS's fault ({@code SenderFault} false: an internal error, throttling) and calls that
   * fail outright (a network error) are retried with backoff; entries that fail by the sender's
   * fault (a stale receipt handle) are not, as a retry cannot succeed.
   */
  List<QueueMessage> delete(List<QueueMessage> messages) {
    List<QueueMessage> failed = new ArrayList<>();
    for (List<QueueMessage> chunk : chunks(messages)) {
      failed.addAll(deleteChunk(chunk));
    }
    return failed;
  }

  private List<QueueMessage> deleteChunk(List<QueueMessage> chunk) {
    List<QueueMessage> failed = new ArrayList<>();
    List<QueueMessage> pending = chunk;
    for (int attempt = 1; ; attempt++) {
      List<QueueMessage> retry = new ArrayList<>();
      String why;
      try {
        List<QueueMessage> sent = pending;
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
          entries.add(
              DeleteMessageBatchRequestEntry.builder()
                  .id(Integer.toString(i))
                  .receiptHandle(sent.get(i).receiptHandle())
                  .build());
        }
        List<BatchResultErrorEntry> errors =
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
        why = "";
        for (BatchResultErrorEntry e : errors) {
          QueueMessage m = sent.get(Integer.parseInt(e.id()));
          if (Boolean.FALSE.equals(e.senderFault())) {
            retry.add(m);
            why = e.code() + ": " + e.message();
          } else {
            log.warn(
                "delete of message {} failed ({}: {}); it will be redelivered and its item"
                    + " rewritten",
                m.messageId(),
                e.code(),
                e.message());
            failed.add(m);
          }
        }
      } catch (QueueDoesNotExistException e) {
        throw e;
      } catch (SdkException e) {
        retry = pending;
        why = e.toString();
      }
      if (retry.isEmpty()) {
        return failed;
      }
      if (!deleteBackoff.canRetry(attempt)
          || !pause(deleteBackoff.delay(attempt - 1, ThreadLocalRandom.current()))) {
        log.warn(
            "delete of {} messages failed {} times ({}); they will be redelivered and their items"
                + " rewritten",
            retry.size(),
            attempt,
            why);
        failed.addAll(retry);
        return failed;
      }
      log.debug("retrying the delete of {} messages (attempt {}): {}", retry.size(), attempt, why);
      pending = retry;
    }
  }

  private static boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Makes {@code messages} visible again at once (visibility 0). */
  void release(List<QueueMessage> messages) {
    changeVisibility(messages, Duration.ZERO);
  }

  /** Extends the visibility of {@code messages} to {@code timeout} from now. */
  int extend(List<QueueMessage> messages, Duration timeout) {
    return changeVisibility(messages, timeout);
  }

  private int changeVisibility(List<QueueMessage> messages, Duration timeout) {
    int ok = 0;
    for (List<QueueMessage> chunk : chunks(messages)) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(chunk.get(i).receiptHandle())
                .visibilityTimeout((int) timeout.toSeconds())
                .build());
      }
      List<BatchResultErrorEntry> errors =
          sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
      for (BatchResultErrorEntry e : errors) {
        log.warn(
            "visibility change of message {} failed ({}: {})",
            chunk.get(Integer.parseInt(e.id())).messageId(),
            e.code(),
            e.message());
      }
      ok += chunk.size() - errors.size();
    }
    return ok;
  }

  static QueueMessage toQueueMessage(Message m) {
    Map<MessageSystemAttributeName, String> a = m.attributes();
    String sent = a.get(MessageSystemAttributeName.SENT_TIMESTAMP);
    String count = a.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    return new QueueMessage(
        m.messageId(),
        m.receiptHandle(),
        m.body(),
        sent == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(sent)),
        count == null ? 1 : Integer.parseInt(count));
  }

  private static List<List<QueueMessage>> chunks(List<QueueMessage> messages) {
    List<List<QueueMessage>> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i += MAX_BATCH) {
      out.add(messages.subList(i, Math.min(messages.size(), i + MAX_BATCH)));
    }
    return out;
  }
}
