package dev.surge.worker;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.ConfigException;
import dev.surge.core.item.QueueMessage;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.worker.IdleTracker;
import dev.surge.core.worker.WorkerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The receive loop of {@code concurrency} pollers: each long-polls up to 10 messages and hands them
 * to the {@link BatchProcessor}, until the queue is drained (every poll empty for the idle window,
 * then the queue's counters confirm nothing is left), the worker is stopped, or an error is fatal.
 * Receives that fail for a reason that is not the worker's (an SQS or network outage) are retried
 * with capped backoff; a missing queue, a denied receive, and a failure no code path expected end
 * every poller.
 */
final class DrainLoop {
  // The worker's logger, so that its lines read as they always have.
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerSettings settings;
  private final SqsMessageSource source;
  private final BatchProcessor processor;
  private final SqsBacklogProbe backlog;
  private final IdleTracker idle;
  private final WorkerStats stats;
  private final StartupMarks startup;
  private final StopSignal stop;
  private final AtomicBoolean drained = new AtomicBoolean();
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
  private final Object drainCheck = new Object();

  DrainLoop(
      WorkerSettings settings,
      SqsMessageSource source,
      BatchProcessor processor,
      SqsBacklogProbe backlog,
      IdleTracker idle,
      WorkerStats stats,
      StartupMarks startup,
      StopSignal stop) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.source = Objects.requireNonNull(source, "source");
    this.processor = Objects.requireNonNull(processor, "processor");
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.idle = Objects.requireNonNull(idle, "idle");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.startup = Objects.requireNonNull(startup, "startup");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /** Runs the pollers, their batches kept hidden by {@code heartbeat}; returns when all ended. */
  void run(Heartbeat heartbeat) {
    List<Thread> pollers = new ArrayList<>();
    for (int i = 0; i < settings.concurrency(); i++) {
      Thread t = new Thread(() -> pollUntilDone(heartbeat), "poller-" + i);
      pollers.add(t);
      t.start();
    }
    for (Thread t : pollers) {
      joinUninterruptibly(t);
    }
  }

  /** Whether the loop ended because the queue was drained. */
  boolean drained() {
    return drained.get();
  }

  /** The error that ended the loop, if one did. */
  Optional<RuntimeException> fatal() {
    return Optional.ofNullable(fatal.get());
  }

  /** One poller: any exception it did not expect ends the worker (exit 1), never just itself. */
  private void pollUntilDone(Heartbeat heartbeat) {
    try {
      poll(heartbeat);
    } catch (RuntimeException | Error e) {
      log.error("poller {} failed", Thread.currentThread().getName(), e);
      fail(e instanceof RuntimeException r ? r : new IllegalStateException(e));
    }
  }

  private void poll(Heartbeat heartbeat) {
    int failures = 0;
    while (!stop.stopped() && !drained.get() && fatal.get() == null) {
      List<QueueMessage> batch;
      try {
        batch = source.receive(SqsMessageSource.MAX_BATCH, settings.pollWait());
        if (failures > 0) {
          log.info("ReceiveMessage answers again after {} failures", failures);
        }
        failures = 0;
      } catch (QueueDoesNotExistException e) {
        fail(new ConfigException("queue '" + settings.queue() + "' no longer exists", e));
        return;
      } catch (SdkException e) {
        if (AccessDenied.is(e)) {
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
      idle.onPoll(batch.size());
      if (batch.isEmpty()) {
        if (idle.windowElapsed()) {
          checkDrained();
        }
        continue;
      }
      if (stop.stopped()) {
        // Received after the stop: not started, so hand them straight back.
        processor.release(batch);
        return;
      }
      try (Heartbeat.Held held = heartbeat.hold(batch)) {
        processor.process(batch, held);
      } catch (ConfigException e) {
        fail(e);
        return;
      }
    }
  }

  /** Idle for the window: drained only if the queue, too, reports nothing visible or in flight. */
  private void checkDrained() {
    synchronized (drainCheck) {
      if (drained.get() || !idle.windowElapsed()) {
        return;
      }
      QueueDepth depth;
      try {
        depth = backlog.depth();
      } catch (SdkException e) {
        log.warn("GetQueueAttributes failed: {}", e.toString());
        idle.reset();
        return;
      }
      if (depth.empty()) {
        drained.set(true);
        log.info(
            "queue empty for {} s and reports nothing visible or in flight: exiting",
            settings.idleWindow().toMillis() / 1000.0);
      } else {
        log.debug("idle, but the queue still reports {}; polling on", depth);
        idle.reset();
      }
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
}
