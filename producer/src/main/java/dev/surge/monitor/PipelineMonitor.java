package dev.surge.monitor;

import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.QueueDepth;
import dev.surge.table.ItemCount;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Samples what the seed's presenter watched in three consoles: the queue's counters, the
 * dead-letter queue, and the table's live item count; publishes them as events. The item count is a
 * paginated {@code Scan} with {@code Select=COUNT} (DynamoDB's "Get live item count" does the
 * same); it is re-read at most as often as it is cheap (never more than a fifth of the time), and
 * only while the queues say work is going on: when they hold anything, or when their counters
 * changed since the last count (the count that closes a drain, and the one that marks the start of
 * a burst). While both stay empty and unchanged, the table is re-counted every {@link
 * #IDLE_RECOUNT}, for items written without the queue: an idle chain left open costs next to
 * nothing, and a deployed table is not scanned over and over for a count that cannot have changed
 * through the chain.
 *
 * <p>The queues themselves are sampled every period while anything moves; once they have stayed
 * empty and unchanged for {@link #IDLE_AFTER}, every {@link #IDLE_SAMPLE} instead, until a sample
 * sees them move or {@link #wake()} (the local cloud calls it when a message arrives) asks for one
 * at once.
 */
public final class PipelineMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PipelineMonitor.class);

  /** How often the table is re-counted while the queues stay empty and unchanged. */
  public static final Duration IDLE_RECOUNT = Duration.ofSeconds(5);

  /** How long the queues stay empty and unchanged before they are sampled less often. */
  public static final Duration IDLE_AFTER = Duration.ofSeconds(5);

  /** How often the queues are sampled once idle, unless {@link #wake()} asks for a sample. */
  public static final Duration IDLE_SAMPLE = Duration.ofSeconds(2);

  private final SqsBacklogProbe queue;
  private final SqsBacklogProbe deadLetters;
  private final DynamoDbClient dynamodb;
  private final String table;
  private final EventLog events;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private volatile long lastItems = -1;
  private volatile long itemBaseline;
  private volatile long nextCountNanos;
  private volatile long lastCountNanos;
  // What the queues held at the last count: a change means the chain moved since.
  private volatile QueueDepth depthAtCount;
  private volatile long deadAtCount = -1;
  // What the last sample saw, and when a sample last saw the queues move.
  private volatile QueueDepth lastDepth;
  private volatile long lastDead = -1;
  private volatile long movedNanos = System.nanoTime();
  // The timer's next sample; guarded by the monitor.
  private ScheduledFuture<?> next;
  private long periodMillis;
  private long idleMillis;
  private volatile boolean woken;

  /** Samples the queue at {@code queueUrl} (and its dead-letter queue) and {@code table}. */
  public PipelineMonitor(
      SqsClient sqs,
      String queueUrl,
      String deadLetterUrl,
      DynamoDbClient dynamodb,
      String table,
      EventLog events,
      Clock clock) {
    this.queue = new SqsBacklogProbe(sqs, queueUrl);
    this.deadLetters = new SqsBacklogProbe(sqs, deadLetterUrl);
    this.dynamodb = dynamodb;
    this.table = table;
    this.events = events;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pipeline-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * From now on the published item count is the items beyond {@code baseline}: what a run wrote
   * into a table that already held {@code baseline} items (a deployed table outlives runs). The
   * returned {@link Sample}s stay absolute.
   */
  public PipelineMonitor countItemsAbove(long baseline) {
    if (baseline < 0) {
      throw new IllegalArgumentException("baseline must be >= 0");
    }
    this.itemBaseline = baseline;
    return this;
  }

  /** Samples every {@code period} until closed, every {@link #IDLE_SAMPLE} while idle. */
  public PipelineMonitor start(Duration period) {
    return start(period, IDLE_SAMPLE);
  }

  /** Samples every {@code period} until closed, every {@code idlePeriod} while idle. */
  public synchronized PipelineMonitor start(Duration period, Duration idlePeriod) {
    if (next != null) {
      throw new IllegalStateException("already started");
    }
    periodMillis = Math.max(1, period.toMillis());
    idleMillis = Math.max(periodMillis, idlePeriod.toMillis());
    next = timer.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Something may have moved (a message arrived): if the timer waits out an idle period, the next
   * sample is taken now; otherwise the one after the next comes at the full rate.
   */
  public void wake() {
    woken = true;
    synchronized (this) {
      if (next != null
          && !closed
          && next.getDelay(TimeUnit.MILLISECONDS) > periodMillis
          && next.cancel(false)) {
        next = timer.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Whether the queues have stayed empty and unchanged for {@link #IDLE_AFTER}. */
  public boolean idle() {
    return System.nanoTime() - movedNanos >= IDLE_AFTER.toNanos();
  }

  private void tick() {
    woken = false;
    sampleQuietly();
    synchronized (this) {
      if (closed) {
        return;
      }
      long delay = woken || !idle() ? periodMillis : idleMillis;
      try {
        next = timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /** One sample now (also used for the final figures). */
  public Sample sample() {
    QueueDepth depth = queue.depth();
    QueueDepth dlq = deadLetters.depth();
    long dead = dlq.visible() + dlq.inFlight() + dlq.delayed();
    events.publish(new PipelineEvent.QueueSampled(clock.instant(), depth, dead));
    long now = System.nanoTime();
    if (!depth.empty() || !depth.equals(lastDepth) || dead != lastDead) {
      movedNanos = now;
    }
    lastDepth = depth;
    lastDead = dead;
    boolean moved = !depth.empty() || !depth.equals(depthAtCount) || dead != deadAtCount;
    boolean idleRecount = now - lastCountNanos >= IDLE_RECOUNT.toNanos();
    if (lastItems < 0 || (now >= nextCountNanos && (moved || idleRecount))) {
      long t0 = System.nanoTime();
      long items = countItems();
      long took = System.nanoTime() - t0;
      nextCountNanos = System.nanoTime() + 4 * took;
      lastCountNanos = t0;
      depthAtCount = depth;
      deadAtCount = dead;
      // Every count, changed or not: a rate over a window needs to know when the count was
      // still the same, or the idle time before the first write would be averaged in.
      events.publish(
          new PipelineEvent.ItemsCounted(clock.instant(), Math.max(0, items - itemBaseline)));
      lastItems = items;
    }
    return new Sample(depth, dead, lastItems);
  }

  /** The table's item count now (a full COUNT scan, always fresh). */
  public long countItems() {
    return ItemCount.of(dynamodb, table);
  }

  private volatile boolean closed;

  private void sampleQuietly() {
    try {
      sample();
    } catch (SdkException e) {
      // A sample cut short by close() is not news; any other failure is.
      if (!closed && !(e instanceof AbortedException)) {
        log.warn("sampling failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    timer.shutdownNow();
  }

  /**
   * One sample.
   *
   * @param depth the work queue
   * @param deadLetters messages in the dead-letter queue
   * @param items items in the table
   */
  public record Sample(QueueDepth depth, long deadLetters, long items) {}
}
