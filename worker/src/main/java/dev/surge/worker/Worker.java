package dev.surge.worker;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.ConfigException;
import dev.surge.core.item.KeyCheck;
import dev.surge.core.item.QueueMessage;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.item.WorkItem;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.retry.Backoff;
import dev.surge.core.worker.IdleTracker;
import dev.surge.core.worker.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Drains a queue into a table. {@code concurrency} pollers each long-poll up to 10 messages, write
 * their items with one {@code BatchWriteItem}, and delete exactly the messages whose items were
 * written, with one {@code DeleteMessageBatch}. A message is never deleted before its item is in
 * the table (at-least-once; a redelivered message rewrites the same item).
 *
 * <p>The worker ends when the queue is drained (every poll empty for the idle window, then the
 * queue's counters confirm nothing is left), when {@link #stop()} is called (what is in hand is
 * written or released, write retries end at once), or on a fatal error: a missing queue or table, a
 * queue without a redrive policy, a table whose key is not the items', a denied receive, a write
 * denied on every attempt (its messages stay hidden until their visibility timeout), an endpoint
 * that never answered at start-up, or a bug. An SQS or network outage is not fatal: receives retry
 * with capped backoff until they succeed or the worker is stopped, and an endpoint that does not
 * answer at start-up is retried for {@link WorkerSettings#startupRetry()}.
 */
public final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** Deletes failing on SQS's side are retried quickly a few times (about 2 s at most). */
  private static final Backoff DELETE_BACKOFF =
      new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 4);

  private final WorkerSettings settings;
  private final TaskIdentity identity;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final Clock clock;
  private final WorkerStats stats = new WorkerStats();
  private final StartupMarks startup = new StartupMarks();
  private final StopSignal stop = new StopSignal();
  private final AtomicBoolean drained = new AtomicBoolean();
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Runnable onReady = () -> {};

  /** A worker that processes with these clients; {@link #run()} starts it. */
  public Worker(
      WorkerSettings settings,
      TaskIdentity identity,
      SqsClient sqs,
      DynamoDbClient dynamodb,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Runs {@code action} once the queue and table are confirmed and polling starts. */
  public void onReady(Runnable action) {
    this.onReady = Objects.requireNonNull(action, "action");
  }

  /** Live counters. */
  public WorkerStats stats() {
    return stats;
  }

  /** When this process first received messages and first wrote an item. */
  public StartupMarks startup() {
    return startup;
  }

  /** Asks the worker to stop: no new receives; what is in hand is finished or released. */
  public void stop() {
    if (stop.stop()) {
      log.info("stop requested: finishing messages in hand, releasing the rest");
    }
  }

  /** Waits until {@link #run()} has returned. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs until drained, stopped, or failed; never throws. */
  public WorkerResult run() {
    try {
      return runPollers();
    } catch (ConfigException e) {
      log.error("{}", e.getMessage());
      return new WorkerResult(
          WorkerResult.Outcome.MISCONFIGURED, stats.snapshot(), Optional.of(e.getMessage()));
    } catch (StartupProbe.Failed e) {
      // What to tell the user is decided here, once, for every start-up failure.
      String advice = StartupAdvice.text(e.failure());
      log.error("{}", advice);
      return new WorkerResult(
          e.failure().misconfigured()
              ? WorkerResult.Outcome.MISCONFIGURED
              : WorkerResult.Outcome.FAILED,
          stats.snapshot(),
          Optional.of(advice));
    } catch (RuntimeException e) {
      log.error("worker failed", e);
      return new WorkerResult(
          WorkerResult.Outcome.FAILED, stats.snapshot(), Optional.of(e.toString()));
    } finally {
      finished.countDown();
    }
  }

  private WorkerResult runPollers() {
    StartupProbe.Queue queue = new StartupProbe(settings, sqs, dynamodb, stop).probe();
    String queueUrl = queue.url();
    Duration visibility = settings.visibilityTimeout().orElse(queue.visibility());
    SqsMessageSource source =
        new SqsMessageSource(sqs, queueUrl, settings.visibilityTimeout(), DELETE_BACKOFF);
    Context c =
        new Context(
            source,
            new DynamoItemWriter(dynamodb, settings.table(), settings.writeBackoff(), stop),
            new SqsBacklogProbe(sqs, queueUrl),
            new IdleTracker(settings.idleWindow(), clock));
    log.info(
        "task {} on {}: draining {} into table {} with {} pollers (visibility {} s, idle window {}"
            + " s, dead-letter queue after {} receives)",
        identity.taskId(),
        identity.host(),
        queueUrl,
        settings.table(),
        settings.concurrency(),
        visibility.toSeconds(),
        settings.idleWindow().toMillis() / 1000.0,
        queue.maxReceiveCount());
    onReady.run();
    List<Thread> pollers = new ArrayList<>();
    try (Heartbeat heartbeat = new Heartbeat(source, visibility, stats)) {
      for (int i = 0; i < settings.concurrency(); i++) {
        Thread t = new Thread(() -> pollUntilDone(c, heartbeat), "poller-" + i);
        pollers.add(t);
        t.start();
      }
      for (Thread t : pollers) {
        joinUninterruptibly(t);
      }
    }
    WorkerStats.Snapshot s = stats.snapshot();
    RuntimeException error = fatal.get();
    if (error instanceof ConfigException) {
      throw error;
    }
    if (error != null) {
      return new WorkerResult(WorkerResult.Outcome.FAILED, s, Optional.of(error.toString()));
    }
    WorkerResult.Outcome outcome =
        drained.get() ? WorkerResult.Outcome.DRAINED : WorkerResult.Outcome.STOPPED;
    log.info(
        "{}: {} messages written and deleted, {} rejected, {} left for redelivery",
        outcome == WorkerResult.Outcome.DRAINED ? "queue drained" : "stopped",
        s.deleted(),
        s.rejected(),
        s.retried() + s.deleteFailures());
    return new WorkerResult(outcome, s, Optional.empty());
  }

  /** One poller: any exception it did not expect ends the worker (exit 1), never just itself. */
  private void pollUntilDone(Context c, Heartbeat heartbeat) {
    try {
      poll(c, heartbeat);
    } catch (RuntimeException | Error e) {
      log.error("poller {} failed", Thread.currentThread().getName(), e);
      fail(e instanceof RuntimeException r ? r : new IllegalStateException(e));
    }
  }

  private void poll(Context c, Heartbeat heartbeat) {
    int failures = 0;
    while (!stop.stopped() && !drained.get() && fatal.get() == null) {
      List<QueueMessage> batch;
      try {
        batch = c.source.receive(SqsMessageSource.MAX_BATCH, settings.pollWait());
        if (failures > 0) {
          log.info("ReceiveMessage answers again after {} failures", failures);
        }
        failures = 0;
      } catch (QueueDoesNotExistException e) {
        fail(new ConfigException("queue '" + settings.queue() + "' no longer exists", e));
        return;
      } catch (SdkException e) {
        if (isAccessDenied(e)) {
          fail(
              new ConfigException(
                  "not allowed to receive from queue '"
                      + settings.queue()
                      + "' ("
                      + e.getMessage()
                      + "); the task role needs sqs:ReceiveMessage on it",
                  e));
          return;
        }
        // An outage of SQS or the network hits every poller of every task at once: retry until
        // it ends (or the worker is stopped), so the fleet survives it.
        failures++;
        if (failures == 1 || failures % 20 == 0) {
          log.warn(
              "ReceiveMessage failed ({} in a row, retrying until it answers): {}",
              failures,
              e.toString());
        }
        stop.pause(
            settings.writeBackoff().delay(Math.min(failures - 1, 30), ThreadLocalRandom.current()));
        continue;
      }
      stats.onReceived(batch.size());
      if (!batch.isEmpty()) {
        startup.onFirstReceive();
      }
      c.idle.onPoll(batch.size());
      if (batch.isEmpty()) {
        if (c.idle.windowElapsed()) {
          checkDrained(c);
        }
        continue;
      }
      if (stop.stopped()) {
        // Received after the stop: not started, so hand them straight back.
        releaseQuietly(c.source, batch);
        return;
      }
      try (Heartbeat.Held held = heartbeat.hold(batch)) {
        process(c, batch, held);
      } catch (ConfigException e) {
        fail(e);
        return;
      }
    }
  }

  /** An AWS answer that the caller's role may not do what it asked. */
  static boolean isAccessDenied(SdkException e) {
    return e instanceof AwsServiceException a
        && a.awsErrorDetails() != null
        && a.awsErrorDetails().errorCode() != null
        && a.awsErrorDetails().errorCode().contains("AccessDenied");
  }

  private void process(Context c, List<QueueMessage> batch, Heartbeat.Held held) {
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
    Map<String, WriteOutcome> outcomes = items.isEmpty() ? Map.of() : c.writer.write(items);
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
    if (!toDelete.isEmpty()) {
      try {
        List<QueueMessage> failed = c.source.delete(toDelete);
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
    // Rejected messages are released at once, so they reach the dead-letter queue within
    // maxReceiveCount quick receives instead of one visibility timeout each.
    releaseQuietly(c.source, toRelease);
  }

  private void checkDrained(Context c) {
    synchronized (c) {
      if (drained.get() || !c.idle.windowElapsed()) {
        return;
      }
      QueueDepth depth;
      try {
        depth = c.probe.depth();
      } catch (SdkException e) {
        log.warn("GetQueueAttributes failed: {}", e.toString());
        c.idle.reset();
        return;
      }
      if (depth.empty()) {
        drained.set(true);
        log.info(
            "queue empty for {} s and reports nothing visible or in flight: exiting",
            settings.idleWindow().toMillis() / 1000.0);
      } else {
        log.debug("idle, but the queue still reports {}; polling on", depth);
        c.idle.reset();
      }
    }
  }

  private void releaseQuietly(SqsMessageSource source, List<QueueMessage> messages) {
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

  private void fail(RuntimeException e) {
    if (fatal.compareAndSet(null, e)) {
      log.error("fatal: {}", e.getMessage());
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** What every poller shares. */
  private record Context(
      SqsMessageSource source, DynamoItemWriter writer, SqsBacklogProbe probe, IdleTracker idle) {}
}
