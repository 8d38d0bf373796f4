package dev.surge.worker;

import dev.surge.core.item.QueueMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps held batches hidden: a batch held longer than half the visibility timeout gets its
 * visibility extended by a full timeout, so a slow write (throttling, retries) is not redelivered
 * to another worker while it is still in hand. A batch leaves the heartbeat before it is settled
 * (deleted or released): once {@link Held#close()} returns, no extension of it is in flight or will
 * be sent, so a released message is not hidden again.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final SqsMessageSource source;
  private final Duration visibility;
  private final WorkerStats stats;
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  Heartbeat(SqsMessageSource source, Duration visibility, WorkerStats stats) {
    this.source = source;
    this.visibility = visibility;
    this.stats = stats;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "visibility-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long periodMs = Math.max(100, visibility.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::beat, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Starts watching a batch; close the returned handle when the batch is settled. */
  Held hold(List<QueueMessage> batch) {
    Held h = new Held(batch, System.nanoTime());
    held.add(h);
    return h;
  }

  private void beat() {
    long now = System.nanoTime();
    long half = visibility.toNanos() / 2;
    for (Held h : held) {
      synchronized (h) {
        if (h.closed || now - h.lastExtendedNanos <= half) {
          continue;
        }
        try {
          int n = source.extend(h.batch, visibility);
          h.lastExtendedNanos = now;
          stats.extended.add(n);
          log.debug("extended visibility of {} held messages by {}", n, visibility);
        } catch (RuntimeException e) {
          log.warn("visibility extension failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** A batch in hand. */
  final class Held implements AutoCloseable {
    private final List<QueueMessage> batch;
    private volatile long lastExtendedNanos;
    private boolean closed;

    private Held(List<QueueMessage> batch, long receivedNanos) {
      this.batch = List.copyOf(batch);
      this.lastExtendedNanos = receivedNanos;
    }

    /** Takes the batch out; waits for an extension of it in flight. Idempotent. */
    @Override
    public void close() {
      synchronized (this) {
        closed = true;
      }
      held.remove(this);
    }
  }
}
