package dev.surge.worker;

import dev.surge.core.ConfigException;
import dev.surge.core.item.KeyCheck;
import dev.surge.core.item.QueueMessage;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.item.WorkItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One received batch, from write to settlement: its items are written with one {@code
 * BatchWriteItem}, exactly the messages whose items were written are deleted, and the messages that
 * can never be written are released at once. A message is never deleted before its item is in the
 * table; one whose write is to be retried stays hidden until its visibility timeout (or, when the
 * worker is stopping, is released for another task).
 */
final class BatchProcessor {
  // The worker's logger, so that its lines read as they always have.
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final SqsMessageSource source;
  private final DynamoItemWriter writer;
  private final TaskIdentity identity;
  private final Clock clock;
  private final WorkerStats stats;
  private final StartupMarks startup;
  private final StopSignal stop;

  BatchProcessor(
      SqsMessageSource source,
      DynamoItemWriter writer,
      TaskIdentity identity,
      Clock clock,
      WorkerStats stats,
      StartupMarks startup,
      StopSignal stop) {
    this.source = Objects.requireNonNull(source, "source");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.startup = Objects.requireNonNull(startup, "startup");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /**
   * Writes and settles {@code batch}; {@code held} is closed once writing ends, before any message
   * is deleted or released.
   *
   * @throws ConfigException when the table is gone or every write was denied: the batch, neither
   *     written nor deleted, comes back after its visibility timeout
   */
  void process(List<QueueMessage> batch, Heartbeat.Held held) {
    Map<String, List<QueueMessage>> byKey = new LinkedHashMap<>();
    List<QueueMessage> toRelease = new ArrayList<>();
    for (QueueMessage m : batch) {
      if (m.receiveCount() > 1) {
        stats.redelivered.increment();
      }
      if (KeyCheck.of(m.body()) instanceof KeyCheck.Invalid invalid) {
        log.warn(
            "message {} can never be written: {}; leaving it for the dead-letter queue",
            m.messageId(),
            invalid.reason());
        toRelease.add(m);
        stats.rejected.increment();
      } else {
        // The same body twice in one batch is one key: BatchWriteItem rejects repeated keys.
        byKey.computeIfAbsent(m.body(), k -> new ArrayList<>(1)).add(m);
      }
    }
    List<WorkItem> items = new ArrayList<>(byKey.size());
    for (List<QueueMessage> same : byKey.values()) {
      items.add(WorkItem.of(same.get(same.size() - 1), identity, clock.instant()));
    }
    Map<String, WriteOutcome> outcomes = items.isEmpty() ? Map.of() : writer.write(items);
    // Settling starts: no extension may follow a delete or a release.
    held.close();
    boolean stopping = stop.stopped();
    List<QueueMessage> toDelete = new ArrayList<>(batch.size());
    for (Map.Entry<String, List<QueueMessage>> e : byKey.entrySet()) {
      WriteOutcome outcome = outcomes.get(e.getKey());
      if (outcome instanceof WriteOutcome.Written) {
        startup.onFirstWrite();
        stats.written.increment();
        toDelete.addAll(e.getValue());
      } else if (outcome instanceof WriteOutcome.Rejected) {
        stats.rejected.add(e.getValue().size());
        toRelease.addAll(e.getValue());
      } else {
        // Retry: stay hidden until the visibility timeout, then come back (backoff by SQS);
        // when stopping, hand them back at once for another task.
        stats.retried.add(e.getValue().size());
        if (stopping) {
          toRelease.addAll(e.getValue());
        }
      }
    }
    delete(toDelete);
    // Rejected messages are released at once, so they reach the dead-letter queue within
    // maxReceiveCount quick receives instead of one visibility timeout each.
    release(toRelease);
  }

  /** Deletes written messages; one whose delete fails is redelivered and its item rewritten. */
  private void delete(List<QueueMessage> toDelete) {
    if (toDelete.isEmpty()) {
      return;
    }
    try {
      List<QueueMessage> failed = source.delete(toDelete);
      stats.onDeleted(toDelete.size() - failed.size());
      stats.deleteFailures.add(failed.size());
    } catch (SdkException e) {
      log.warn(
          "DeleteMessageBatch of {} messages failed ({}); they will be redelivered and their"
              + " items rewritten",
          toDelete.size(),
          e.toString());
      stats.deleteFailures.add(toDelete.size());
    }
  }

  /**
   * Makes {@code messages} visible again at once; if that fails they return after their visibility
   * timeout anyway, so the failure is only logged.
   */
  void release(List<QueueMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    try {
      source.release(messages);
      stats.released.add(messages.size());
    } catch (SdkException e) {
      log.warn(
          "release of {} messages failed ({}); they return after the visibility timeout",
          messages.size(),
          e.toString());
    }
  }
}
