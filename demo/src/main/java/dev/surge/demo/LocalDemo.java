package dev.surge.demo;

import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.local.LocalCloud;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.run.Run;
import dev.surge.run.RunSummaries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code surge demo} on the local cloud: the seed's demo as one {@link Run}, drawn live in the
 * terminal ({@link TerminalView}). Produce the messages, wait until the queue is empty and every
 * task has stopped, then sum up from the table. Ctrl-C or SIGTERM stops it in order and sums up
 * what ran so far.
 */
public final class LocalDemo {
  /** How long a stop waits for the producer's batches in flight before it counts. */
  private static final Duration PRODUCER_STOP = Duration.ofSeconds(10);

  /** How often the queue, the table and the fleet are read while the run drains. */
  private static final Duration LOOK_EVERY = Duration.ofMillis(500);

  /**
   * What the demo sends, and how long it may take.
   *
   * @param messages messages to produce
   * @param producerConcurrency concurrent senders
   * @param rate messages per second at most, if given
   * @param timeout how long the run may drain once the messages are sent (the timeout's note names
   *     it, given or the default)
   */
  public record Settings(
      long messages, int producerConcurrency, Optional<Double> rate, Duration timeout) {}

  private final LocalCloud local;
  private final EventLog events;
  private final Clock clock;
  private final PrintWriter out;
  private final boolean tty;

  /** A demo on {@code local}, drawn on {@code out} ({@code tty}: a terminal that redraws). */
  public LocalDemo(LocalCloud local, EventLog events, Clock clock, PrintWriter out, boolean tty) {
    this.local = local;
    this.events = events;
    this.clock = clock;
    this.out = out;
    this.tty = tty;
  }

  /**
   * Runs the demo and returns its summary (published as the run's end). A stop before the end
   * prints what ran so far and never returns: the JVM ends once its hooks are done.
   *
   * @param start when the command started (the terminal's clock)
   * @param logs the tasks' logs, named when a stop cuts the run short
   * @param afterKeptOpen what a stop after the summary does once the cloud has stopped (the command
   *     kept it open)
   */
  @SuppressWarnings("try") // the terminal view only needs closing
  public PipelineEvent.RunSummary run(
      Settings settings, Instant start, Path logs, Runnable afterKeptOpen)
      throws InterruptedException {
    String table = local.options().names().table();
    long messages = settings.messages();
    events.publish(
        new PipelineEvent.Note(clock.instant(), "info", "local cloud up; producing " + messages));
    PipelineEvent.RunSummary summary;
    try (TerminalView view = new TerminalView(events, out, tty, start)) {
      Instant firstSent = clock.instant();
      AtomicLong sent = new AtomicLong();
      // Ctrl-C or SIGTERM: the producer and the reconciler stop first, then the fleet (SIGTERM,
      // bounded by the stop timeout), then what ran so far is summed up; the cloud's own hook
      // then stops the stand-ins.
      AtomicBoolean stopping = new AtomicBoolean();
      AtomicBoolean finished = new AtomicBoolean();
      // Counted down once the producer has returned: its batches in flight are then sent (or
      // not) and counted, so the stop's summary counts every message the queue accepted.
      CountDownLatch producerDone = new CountDownLatch(1);
      local.beforeShutdown(
          () -> {
            stopping.set(true);
            if (finished.get()) {
              // The summary is out (--keep-open): stop the cloud, then its temporary logs go.
              local.close();
              afterKeptOpen.run();
              return;
            }
            view.close();
            out.printf(
                "%nstopping: the producer and the reconciler, then the tasks (SIGTERM), then the"
                    + " stand-ins...%n");
            out.flush();
            local.stopLaunching();
            try {
              if (!producerDone.await(PRODUCER_STOP.toSeconds(), TimeUnit.SECONDS)) {
                out.printf(
                    "(the producer did not stop within %d s: its last batches may be missing from"
                        + " the count)%n",
                    PRODUCER_STOP.toSeconds());
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            local.launcher().close();
            PipelineMonitor.Sample last = local.monitor().sample();
            PipelineEvent.RunSummary partial =
                summary(
                    table,
                    sent.get(),
                    firstSent,
                    last,
                    clock.instant(),
                    // the producer sends batches of 10; it has not said how many requests yet
                    (sent.get() + 9) / 10);
            out.printf("stopped before the end; what ran so far:%n");
            RunSummaries.print(out, partial, true);
            out.printf("(the tasks' logs are in %s)%n", logs);
            out.flush();
          });
      AtomicReference<ProduceResult> produced = new AtomicReference<>();
      // The last look: the run's figures.
      AtomicReference<PipelineMonitor.Sample> last = new AtomicReference<>();
      Run.Watch watch =
          () -> {
            PipelineMonitor.Sample s = local.monitor().sample();
            last.set(s);
            return new Run.Look(
                s.depth().empty(), local.launcher().running() == 0, s.items() + s.deadLetters());
          };
      Run.Progress progress =
          new Run.Progress() {
            @Override
            public void beforeLook() throws InterruptedException {
              if (stopping.get()) {
                // The shutdown hook sums up and stops everything; the JVM ends when it is done.
                new CountDownLatch(1).await();
              }
            }

            @Override
            public void timedOut() {
              PipelineMonitor.Sample s = last.get();
              events.publish(
                  new PipelineEvent.Note(
                      clock.instant(),
                      "error",
                      "timed out after "
                          + settings.timeout().toSeconds()
                          + " s; queue "
                          + s.depth()
                          + ", items "
                          + s.items()));
            }
          };
      summary =
          new Run(clock, d -> Thread.sleep(d.toMillis()))
              .run(
                  () -> {
                    try {
                      produced.set(
                          new Producer(local.sqs(), local.queues().url(), Backoff.standard())
                              .produce(
                                  messages,
                                  settings.producerConcurrency(),
                                  settings.rate(),
                                  new UniqueBodies(
                                      new SplittableRandom(new SecureRandom().nextLong())),
                                  n ->
                                      events.publish(
                                          new PipelineEvent.Produced(
                                              clock.instant(), sent.addAndGet(n), messages)),
                                  stopping::get));
                    } finally {
                      producerDone.countDown();
                    }
                    return Run.Sending.finished(produced.get().sent());
                  },
                  watch,
                  Run.Waiting.every(LOOK_EVERY).timeoutAfter(settings.timeout()),
                  progress,
                  drain ->
                      summary(
                          table,
                          drain.sent(),
                          firstSent,
                          last.get(),
                          drain.at(),
                          produced.get().requests()));
      events.publish(new PipelineEvent.RunFinished(clock.instant(), summary));
      finished.set(true);
    }
    return summary;
  }

  // The run's figures from the table, the last sample of the queues and the launcher's counts.
  private PipelineEvent.RunSummary summary(
      String table,
      long sent,
      Instant firstSent,
      PipelineMonitor.Sample last,
      Instant drained,
      long producerRequests) {
    return RunSummaries.compute(
        local.dynamodb(),
        table,
        sent,
        firstSent,
        last.deadLetters() + local.purgedDeadLetters(),
        last.depth().backlog(),
        local.purged(), // a purge through its SQS endpoint, by another tool
        RunSummaries.hosts(local.launcher().tasks()),
        local.launcher().messagesWritten(0),
        local.launcher().workerRequests(),
        drained,
        Optional.empty(),
        Optional.of(local.usage().plusSqsRequests(producerRequests)),
        events);
  }
}
