package dev.surge.demo;

import dev.surge.core.cost.RunUsage;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskView;
import dev.surge.local.LocalCloud;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.run.Run;
import dev.surge.run.RunSummaries;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run summaries of {@code surge up}, where the producer is another tool: a burst begins with
 * the first message that arrives after a quiet spell and ends once nothing has arrived for {@link
 * #QUIET}, the queue is empty and every task has stopped; then its summary is printed and published
 * (the page shows it), counting only that burst's messages, items and tasks. Messages a purge
 * through the SQS endpoint removed ({@code surge purge}, {@code aws sqs purge-queue}) are counted
 * as purged, not lost: a burst purged before any task ran ends with its summary too. Each burst is
 * a {@link Run} whose messages are sent by someone else: it is over once they stop arriving.
 */
public final class Bursts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Bursts.class);

  /** How long nothing may arrive before a burst can end. */
  static final Duration QUIET = Duration.ofSeconds(2);

  /** How often arrivals, the fleet and the queue are checked. */
  private static final Duration CHECK = Duration.ofMillis(200);

  private final LocalCloud local;
  private final String table;
  private final EventLog events;
  private final PrintWriter out;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean closed;

  // Touched by the bursts' one thread only.
  private long arrivedBefore;
  private long lastArrived;
  private Instant lastChange;
  private Instant start;
  private Instant previousEnd;
  private int tasksBefore;
  private long requestsBefore;
  private long deadBefore;
  private long deadPurgedBefore;
  // Since the last burst ended (or the watch began): the queue is empty between bursts, so a purge
  // there removes nothing of theirs, and one that comes with a burst's first messages, before the
  // next check sees them, is that burst's.
  private long purgedBefore;
  private RunUsage usageBefore = RunUsage.NONE;
  // The look that ended the burst, and the dead-letter queue's purges read just before it.
  private PipelineMonitor.Sample lastSample;
  private long lastDeadPurged;

  /** Watches {@code local} from now on; summaries go to {@code out} and {@code events}. */
  public Bursts(LocalCloud local, String table, EventLog events, PrintWriter out, Clock clock) {
    this.local = local;
    this.table = table;
    this.events = events;
    this.out = out;
    this.clock = clock;
    this.purgedBefore = local.purged();
    this.thread = new Thread(this::watch, "bursts");
    thread.setDaemon(true);
    thread.start();
  }

  // One burst after another, each a run; a check that fails is tried again at the next one.
  private void watch() {
    Run run = new Run(clock, d -> Thread.sleep(d.toMillis()));
    try {
      Thread.sleep(CHECK.toMillis());
      while (!closed) {
        try {
          run.run(
              this::arrivals,
              this::look,
              Run.Waiting.every(CHECK),
              Run.Progress.NONE,
              this::summarise);
        } catch (RuntimeException e) {
          log.debug("burst check failed: {}", e.toString());
          Thread.sleep(CHECK.toMillis());
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  // The burst's messages, sent by another tool: it begins with the first that arrives, and all
  // are sent once none has arrived for QUIET.
  private Run.Sending arrivals() throws InterruptedException {
    while (start == null) {
      long arrived = local.arrivals();
      if (arrived != lastArrived) {
        start = clock.instant();
        tasksBefore = local.launcher().tasks().size();
        requestsBefore = local.launcher().workerRequests();
        // Read together: a purge of the dead-letter queue lowers the one and raises the other.
        deadPurgedBefore = local.purgedDeadLetters();
        deadBefore = local.monitor().sample().deadLetters();
        lastArrived = arrived;
        lastChange = start;
      } else {
        Thread.sleep(CHECK.toMillis());
      }
    }
    return new Run.Sending() {
      @Override
      public boolean done() {
        long arrived = local.arrivals();
        Instant now = clock.instant();
        if (arrived != lastArrived) {
          lastArrived = arrived;
          lastChange = now;
          return false;
        }
        return Duration.between(lastChange, now).compareTo(QUIET) >= 0;
      }

      @Override
      public long sent() {
        return lastArrived - arrivedBefore;
      }
    };
  }

  private Run.Look look() {
    if (local.launcher().running() > 0) {
      return Run.Look.fleetRunning(); // cheap, and the usual reason to wait: ask the queue after
    }
    long deadPurged = local.purgedDeadLetters(); // read before the sample, as at the start
    PipelineMonitor.Sample sample = local.monitor().sample();
    lastDeadPurged = deadPurged;
    lastSample = sample;
    return Run.Look.of(sample.depth().empty(), local.launcher().running() == 0);
  }

  private PipelineEvent.RunSummary summarise(Run.Drain drain) {
    Instant now = drain.at();
    long arrived = lastArrived;
    long purged = local.purged();
    RunUsage usage = local.usage();
    List<TaskView> tasks = local.launcher().tasks();
    // Items and alarm transitions are this burst's from a quiet spell before it was seen (it was
    // seen at most a check period after its first message), but never the burst's before.
    Instant since = start.minus(QUIET);
    if (previousEnd != null && previousEnd.isAfter(since)) {
      since = previousEnd;
    }
    PipelineEvent.RunSummary summary =
        RunSummaries.compute(
            local.dynamodb(),
            table,
            drain.sent(),
            start,
            // dead-lettered in this burst, those purged from the dead-letter queue since included
            lastSample.deadLetters() - deadBefore + lastDeadPurged - deadPurgedBefore,
            lastSample.depth().backlog(), // 0: the burst is over once the queue is empty
            purged - purgedBefore,
            RunSummaries.hosts(tasks.subList(Math.min(tasksBefore, tasks.size()), tasks.size())),
            local.launcher().messagesWritten(tasksBefore),
            local.launcher().workerRequests() - requestsBefore,
            now,
            Optional.of(since),
            // everything since the last burst ended: the idle function's ticks belong to it too
            Optional.of(usage.since(usageBefore)),
            events);
    events.publish(new PipelineEvent.RunFinished(now, summary));
    synchronized (out) {
      out.printf("%nA burst of %d message(s) is done:%n", drain.sent());
      RunSummaries.print(out, summary);
      out.flush();
    }
    arrivedBefore = arrived;
    purgedBefore = purged;
    usageBefore = usage;
    previousEnd = now;
    start = null;
    return summary;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
