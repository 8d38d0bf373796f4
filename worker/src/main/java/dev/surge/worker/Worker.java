package dev.surge.worker;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.ConfigException;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.retry.Backoff;
import dev.surge.core.worker.IdleTracker;
import dev.surge.core.worker.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

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
 *
 * <p>This class is the worker's life: start-up checks ({@link StartupProbe}), whose failures it
 * turns into advice for the user ({@link StartupAdvice}), the pollers ({@link DrainLoop}, each
 * batch written and settled by {@link BatchProcessor}), and how the run ended ({@link
 * WorkerResult}).
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
      return probeThenDrain();
    } catch (ConfigException e) {
      log.error("{}", e.getMessage());
      return new WorkerResult(
          WorkerResult.Outcome.MISCONFIGURED, stats.snapshot(), Optional.of(e.getMessage()));
    } catch (StartupProbe.Failed e) {
      // What to tell the user is decided here, once, for every start-up failure: at an endpoint
      // of its own (the local cloud, an emulator) or at AWS's.
      String advice =
          sqs.serviceClientConfiguration().endpointOverride().isPresent()
              ? StartupAdvice.local(e.failure())
              : StartupAdvice.aws(e.failure());
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

  private WorkerResult probeThenDrain() {
    StartupProbe.Queue queue = new StartupProbe(settings, sqs, dynamodb, stop).probe();
    Duration visibility = settings.visibilityTimeout().orElse(queue.visibility());
    SqsMessageSource source =
        new SqsMessageSource(sqs, queue.url(), settings.visibilityTimeout(), DELETE_BACKOFF);
    DrainLoop loop =
        new DrainLoop(
            settings,
            source,
            new BatchProcessor(
                source,
                new DynamoItemWriter(dynamodb, settings.table(), settings.writeBackoff(), stop),
                identity,
                clock,
                stats,
                startup,
                stop),
            new SqsBacklogProbe(sqs, queue.url()),
            new IdleTracker(settings.idleWindow(), clock),
            stats,
            startup,
            stop);
    log.info(
        "task {} on {}: draining {} into table {} with {} pollers (visibility {} s, idle window {}"
            + " s, dead-letter queue after {} receives)",
        identity.taskId(),
        identity.host(),
        queue.url(),
        settings.table(),
        settings.concurrency(),
        visibility.toSeconds(),
        settings.idleWindow().toMillis() / 1000.0,
        queue.maxReceiveCount());
    onReady.run();
    try (Heartbeat heartbeat = new Heartbeat(source, visibility, stats)) {
      loop.run(heartbeat);
    }
    WorkerStats.Snapshot s = stats.snapshot();
    Optional<RuntimeException> error = loop.fatal();
    if (error.isPresent() && error.get() instanceof ConfigException config) {
      throw config;
    }
    if (error.isPresent()) {
      return new WorkerResult(WorkerResult.Outcome.FAILED, s, Optional.of(error.get().toString()));
    }
    WorkerResult.Outcome outcome =
        loop.drained() ? WorkerResult.Outcome.DRAINED : WorkerResult.Outcome.STOPPED;
    log.info(
        "{}: {} messages written and deleted, {} rejected, {} left for redelivery",
        outcome == WorkerResult.Outcome.DRAINED ? "queue drained" : "stopped",
        s.deleted(),
        s.rejected(),
        s.retried() + s.deleteFailures());
    return new WorkerResult(outcome, s, Optional.empty());
  }
}
