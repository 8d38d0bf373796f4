package dev.surge.chaos;

import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskView;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.queue.QueueOptions;
import dev.surge.run.Run;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.ThrottlingProxy;
import dev.surge.table.ItemCount;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code surge chaos}: the local chain on many messages while faults are injected on a schedule
 * ({@link FaultSchedule}), and every message accounted for at the end. The workers reach SQS and
 * DynamoDB through fault proxies (which stay in {@code standins}: the worker's own fault tests use
 * them too); the accounting goes direct. The run itself is the one every command makes ({@link
 * Run}): produce (good and poison messages, while the faults land), wait until the queue is empty
 * and the fleet has stopped, count, account.
 */
public final class ChaosRun {
  private final ChaosSettings settings;
  private final PrintWriter progress;

  private ChaosRun(ChaosSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Runs the chain on its own stand-ins, the tasks' logs in {@code logs}; progress lines go to
   * {@code progress}.
   *
   * @return what the run measured, and its verdict
   */
  public static ChaosReport run(ChaosSettings settings, Path logs, PrintWriter progress)
      throws InterruptedException {
    return new ChaosRun(settings, progress).run(logs);
  }

  private ChaosReport run(Path logs) throws InterruptedException {
    int maxTasks = settings.maxTasks();
    LocalCloudOptions options =
        LocalCloudOptions.seed(0, 0, logs)
            .withAlarmPeriod(settings.alarmPeriod())
            .withPolicy(
                new ScalingPolicy.Proportional(
                    ScalingPolicy.Proportional.DEFAULT_MESSAGES_PER_TASK, maxTasks),
                maxTasks)
            .withQueue(
                new QueueOptions(settings.visibility(), QueueOptions.DEFAULT_MAX_RECEIVE_COUNT))
            // The monitor's COUNT scans would compete with the workers for dynalite.
            .withMonitorPeriod(Duration.ofSeconds(10));
    line(
        "surge chaos: %d messages (%d poison), at most %d tasks, visibility %d s; task logs in %s",
        settings.messages(), settings.poison(), maxTasks, settings.visibility().toSeconds(), logs);

    AtomicReference<FaultProxy> sqsProxy = new AtomicReference<>();
    AtomicReference<ThrottlingProxy> dynamoProxy = new AtomicReference<>();
    try (LocalCloud local =
        LocalCloud.start(
            options,
            new EventLog(10_000),
            Clock.systemUTC(),
            t -> {
              sqsProxy.set(FaultProxy.in(t.endpoint("SQS").orElseThrow()));
              dynamoProxy.set(ThrottlingProxy.in(t.endpoint("DYNAMODB").orElseThrow()));
              return AwsTarget.local(sqsProxy.get().endpoint(), dynamoProxy.get().endpoint());
            })) {
      return run(local, options, sqsProxy.get(), dynamoProxy.get());
    } finally {
      Optional.ofNullable(sqsProxy.get()).ifPresent(FaultProxy::close);
      Optional.ofNullable(dynamoProxy.get()).ifPresent(ThrottlingProxy::close);
    }
  }

  private ChaosReport run(
      LocalCloud local, LocalCloudOptions options, FaultProxy sqsProxy, ThrottlingProxy dynamoProxy)
      throws InterruptedException {
    long t0 = System.nanoTime();
    SqsClient sqs = local.sqs();
    String queue = local.queues().url();
    SqsBacklogProbe backlog = new SqsBacklogProbe(sqs, queue);
    ChaosSending sending = ChaosSending.start(sqs, queue, settings.good(), settings.poison());
    FleetSampler sampler = FleetSampler.start(backlog, local.launcher());

    long total = settings.messages();
    // Worked through: sent and no longer in the queue (written and deleted, or dead-lettered).
    DoubleSupplier progressShare =
        () -> Math.max(0, sending.sentSoFar() - sampler.depth().backlog()) / (double) total;
    AtomicBoolean over = new AtomicBoolean();
    FaultSchedule schedule =
        new FaultSchedule(
            new FaultSchedule.Targets(
                local.launcher(), sqsProxy, dynamoProxy, local.standIns().dynalitePid()),
            t0,
            progressShare,
            over::get);
    Thread faults =
        new Thread(
            () -> {
              try {
                schedule.run(
                    f ->
                        line(
                            "  %6.1f s  %3.0f%% worked through  %s (%.1f s): %s",
                            f.atSeconds(), f.progress() * 100, f.name(), f.seconds(), f.detail()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "chaos-faults");
    faults.setDaemon(true);
    faults.start();

    // The wait looks at the sampler's depth (100 ms old at most) and confirms an empty queue with
    // a fresh read; a line of progress every 5 s.
    Run.Watch watch =
        new Run.Watch() {
          @Override
          public Run.Look look() {
            return Run.Look.of(sampler.depth().empty(), local.launcher().running() == 0);
          }

          @Override
          public boolean confirm() {
            return sampler.quietNow();
          }
        };
    Run.Progress lines =
        new Run.Progress() {
          private long lastLine;

          @Override
          public void afterLook() {
            if (System.nanoTime() - lastLine > 5_000_000_000L) {
              lastLine = System.nanoTime();
              QueueDepth d = sampler.depth();
              line(
                  "  %6.1f s  sent %d  queue %d visible, %d in flight  tasks %d  %3.0f%% worked"
                      + " through",
                  (System.nanoTime() - t0) / 1e9,
                  sending.sentSoFar(),
                  d.visible(),
                  d.inFlight(),
                  local.launcher().running(),
                  progressShare.getAsDouble() * 100);
            }
          }
        };
    return Run.onSystemClock()
        .run(
            () -> sending,
            watch,
            Run.Waiting.every(Duration.ofMillis(200)).timeoutAfter(settings.timeout()),
            lines,
            drain -> {
              double drainSeconds = (System.nanoTime() - t0) / 1e9;
              over.set(true);
              sampler.stop();
              faults.join(30_000);
              sampler.close();
              sending.requireNoFailure();
              line(
                  "  %6.1f s  %s; counting",
                  drainSeconds, drain.drained() ? "drained" : "timed out");
              return count(local, options, sending, sampler, schedule, drain, drainSeconds);
            });
  }

  // Count the table and the dead-letter queue, and account for every message.
  private ChaosReport count(
      LocalCloud local,
      LocalCloudOptions options,
      ChaosSending sending,
      FleetSampler sampler,
      FaultSchedule schedule,
      Run.Drain drain,
      double drainSeconds) {
    String table = options.names().table();
    DynamoDbClient dynamodb = local.dynamodb();
    long inTable = ItemCount.of(dynamodb, table);
    long redelivered = countRedelivered(dynamodb, table);
    PoisonMessages.DeadLetters dead =
        PoisonMessages.drainDeadLetters(local.sqs(), local.queues().deadLetterUrl());
    List<TaskView> tasks = local.launcher().tasks();
    return new ChaosReport(
        sending.sent(),
        sending.poisonSent(),
        inTable,
        dead.total(),
        dead.poison(),
        redelivered,
        sampler.maxFleet(tasks),
        settings.maxTasks(),
        tasks,
        schedule.injected(),
        drain.drained(),
        drainSeconds);
  }

  /** Items whose message was received more than once before it was written. */
  private static long countRedelivered(DynamoDbClient dynamodb, String table) {
    return ItemCount.matching(
        dynamodb,
        table,
        "#rc > :one",
        Map.of("#rc", ItemSchema.RECEIVE_COUNT),
        Map.of(":one", AttributeValue.fromN("1")));
  }

  private void line(String format, Object... args) {
    progress.printf(format + "%n", args);
    progress.flush();
  }
}
