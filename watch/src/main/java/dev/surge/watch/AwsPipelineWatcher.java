package dev.surge.watch;

import dev.surge.aws.AwsClients;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.trigger.AlarmSnapshot;
import dev.surge.trigger.EcsTaskDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deployed stack and publishes what it sees as the same {@link PipelineEvent}s the
 * local target publishes, so the terminal view, the dashboard and the demo summary work unchanged
 * against AWS. Four poll loops, each on its own thread so a slow one does not hold up the others:
 *
 * <ul>
 *   <li>queue: {@link PipelineMonitor#sample()}: {@code GetQueueAttributes} on the queue and its
 *       dead-letter queue → {@link PipelineEvent.QueueSampled} every poll; a {@code Scan} COUNT of
 *       the table, re-read at most a fifth of the time, and while the queues stay empty and
 *       unchanged only every {@link PipelineMonitor#IDLE_RECOUNT} → {@link
 *       PipelineEvent.ItemsCounted};
 *   <li>alarm: {@code DescribeAlarms} → {@link PipelineEvent.AlarmChanged} on the first observation
 *       ({@code from} equals {@code to}: a state seen, not a transition) and on every state change,
 *       with CloudWatch's {@code StateReason} and {@code Threshold};
 *   <li>tasks: {@link EcsTaskDirectory#tasks()} ({@code ListTasks} by {@code startedBy}, and of the
 *       stopped tasks, {@code DescribeTasks}) → {@link PipelineEvent.TaskChanged} for every new
 *       task and every state change; tasks already stopped at the first listing belong to earlier
 *       runs and are only counted in a note. For tasks that stopped, {@code itemsWritten} comes
 *       from the worker's summary line in the workers' log group (one {@code FilterLogEvents} scan
 *       per poll that saw tasks stop); 0 when the line is not (yet) there;
 *   <li>trigger: {@code FilterLogEvents} on the function's log group → {@link
 *       PipelineEvent.TriggerDecided} for each decision line the function logged since the start
 *       (the same reports the local target publishes).
 * </ul>
 *
 * <p>Events carry the time the watcher saw them (the {@link Clock}), up to one period after the
 * fact (a trigger decision: plus the log group's ingestion delay, usually seconds). Topic
 * deliveries are not observed ({@link PipelineEvent.NotificationDelivered} is never published).
 *
 * <p>An AWS error never stops a loop: it is logged, and the first of a streak is published as a
 * {@code warn} note. {@link #close()} stops the loops, waits for a poll in flight, and closes the
 * clients.
 */
public final class AwsPipelineWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwsPipelineWatcher.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger WATCHERS = new AtomicInteger();

  private final StackOutputs outputs;
  private final ServiceClients services;
  private final EventLog events;
  private final Clock clock;
  private final WatchPeriods periods;
  private final PipelineMonitor monitor;
  private final EcsTaskDirectory tasks;
  private final ScheduledThreadPoolExecutor scheduler;
  // Every thread the scheduler started, so close() can wait until they have ended.
  private final Set<Thread> pollThreads = ConcurrentHashMap.newKeySet();
  private final FailureNotes queueNotes;
  private final FailureNotes alarmNotes;
  private final FailureNotes taskNotes;
  private final FailureNotes workerLogNotes;
  private final FailureNotes triggerNotes;
  private final TaskTracker tracker = new TaskTracker();
  private final WorkerLog workerLog;
  private TriggerLog triggerLog;
  private AlarmSnapshot lastAlarm;
  private boolean started;
  private boolean closed;
  // Set before the poll threads are interrupted: what fails after it is the stop, not AWS.
  private volatile boolean closing;

  /**
   * A watcher of the stack {@code outputs} describe, through clients built by {@code clients}
   * (closed with the watcher). Nothing is called until {@link #start()}.
   */
  public AwsPipelineWatcher(
      StackOutputs outputs,
      AwsClients clients,
      EventLog events,
      Clock clock,
      WatchPeriods periods) {
    this(
        outputs,
        ServiceClients.build(Objects.requireNonNull(clients, "clients")),
        events,
        clock,
        periods);
  }

  /**
   * A watcher reading through {@code services}, which it owns: {@link #close()} closes them.
   * Nothing is called until {@link #start()}.
   */
  public AwsPipelineWatcher(
      StackOutputs outputs,
      ServiceClients services,
      EventLog events,
      Clock clock,
      WatchPeriods periods) {
    this.outputs = Objects.requireNonNull(outputs, "outputs");
    this.services = Objects.requireNonNull(services, "services");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.periods = Objects.requireNonNull(periods, "periods");
    this.monitor =
        new PipelineMonitor(
            services.sqs(),
            outputs.queueUrl(),
            outputs.deadLetterQueueUrl(),
            services.dynamodb(),
            outputs.tableName(),
            events,
            clock);
    this.tasks = new EcsTaskDirectory(services.ecs(), outputs.toEcsSettings());
    this.workerLog = new WorkerLog(services.logs(), outputs.workerLogGroup());
    this.scheduler = new ScheduledThreadPoolExecutor(4, threads(pollThreads));
    // A poll that was cancelled must not stay queued until its next run time.
    scheduler.setRemoveOnCancelPolicy(true);
    this.queueNotes =
        new FailureNotes(
            "the queue " + outputs.queueName() + " or the table " + outputs.tableName(),
            events,
            clock);
    this.alarmNotes = new FailureNotes("the alarm " + outputs.alarmName(), events, clock);
    this.taskNotes =
        new FailureNotes("the tasks of cluster " + outputs.clusterName(), events, clock);
    this.workerLogNotes =
        new FailureNotes("the workers' log group " + outputs.workerLogGroup(), events, clock);
    this.triggerNotes =
        new FailureNotes("the function's log group " + outputs.functionLogGroup(), events, clock);
  }

  /**
   * Publishes the table's item count as the items beyond {@code baseline}, the count before a run
   * (the deployed table keeps earlier runs' items). Call before {@link #start()}.
   */
  public AwsPipelineWatcher countItemsAbove(long baseline) {
    monitor.countItemsAbove(baseline);
    return this;
  }

  /**
   * Publishes a note naming what is watched, then starts the four poll loops (each polls at once,
   * then every period). Trigger decisions are read from the moment of this call on.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized AwsPipelineWatcher start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "the watcher is closed" : "already started");
    }
    started = true;
    Instant now = clock.instant();
    triggerLog = new TriggerLog(services.logs(), outputs.functionLogGroup(), now, clock);
    events.publish(new PipelineEvent.Note(now, "info", description()));
    schedule(this::pollQueue, periods.queue());
    schedule(this::pollAlarm, periods.alarm());
    schedule(this::pollTasks, periods.tasks());
    schedule(this::pollTrigger, periods.trigger());
    return this;
  }

  /** What the start note says: the stack, its region and its resources, without the account. */
  String description() {
    return Redaction.withoutAccount(
        "watching stack "
            + outputs.stackName()
            + " in "
            + outputs.region()
            + " ("
            + outputs.stackStatus()
            + "): queue "
            + outputs.queueName()
            + " (dead letters "
            + outputs.deadLetterQueueName()
            + "), table "
            + outputs.tableName()
            + ", alarm "
            + outputs.alarmName()
            + ", topic "
            + outputs.topicArn()
            + ", function "
            + outputs.functionName()
            + ", cluster "
            + outputs.clusterName()
            + " (tasks started by "
            + outputs.toEcsSettings().startedBy()
            + "); polling the queue every "
            + seconds(periods.queue())
            + ", the alarm every "
            + seconds(periods.alarm())
            + ", the tasks every "
            + seconds(periods.tasks())
            + ", the trigger's decisions (log group "
            + outputs.functionLogGroup()
            + ") every "
            + seconds(periods.trigger()));
  }

  private void pollQueue() {
    try {
      monitor.sample();
      queueNotes.succeeded();
    } catch (RuntimeException e) {
      failed(queueNotes, e);
    }
  }

  private void pollAlarm() {
    AlarmSnapshot now;
    try {
      now =
          AlarmSnapshot.read(
              services.cloudWatch(), outputs.alarmName(), StackOutputs.CHANGED_OUTSIDE);
      alarmNotes.succeeded();
    } catch (RuntimeException e) {
      failed(alarmNotes, e);
      return;
    }
    AlarmSnapshot before = lastAlarm;
    lastAlarm = now;
    if (before == null || before.state() != now.state()) {
      log.info(
          "alarm {}: {} -> {}: {}",
          now.name(),
          before == null ? "(first seen)" : before.state(),
          now.state(),
          now.reason());
      events.publish(
          new PipelineEvent.AlarmChanged(
              clock.instant(),
              now.name(),
              before == null ? now.state() : before.state(),
              now.state(),
              now.reason(),
              now.threshold()));
    }
  }

  private void pollTasks() {
    List<TaskView> listing;
    try {
      listing = tasks.tasks();
      taskNotes.succeeded();
    } catch (RuntimeException e) {
      failed(taskNotes, e);
      return;
    }
    boolean first = !tracker.baselined();
    List<TaskView> changes = tracker.changes(listing);
    Map<String, Long> written = itemsWritten(changes);
    for (TaskView t : changes) {
      long items = written.getOrDefault(t.taskId(), 0L);
      log.info("task {}: {}{}", t.taskId(), t.state(), items > 0 ? ", " + items + " items" : "");
      events.publish(new PipelineEvent.TaskChanged(clock.instant(), t, items));
    }
    if (first && tracker.stoppedBefore() > 0) {
      events.publish(
          new PipelineEvent.Note(
              clock.instant(),
              "info",
              tracker.stoppedBefore()
                  + " task(s) of cluster "
                  + outputs.clusterName()
                  + " had stopped before the watch began; they are not shown as changes"));
    }
  }

  /** The items the tasks that just stopped wrote, from their summary lines; none if unreadable. */
  private Map<String, Long> itemsWritten(List<TaskView> changes) {
    List<TaskView> stopped = changes.stream().filter(t -> t.state() == TaskState.STOPPED).toList();
    if (stopped.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, Long> written = workerLog.itemsWritten(stopped);
      workerLogNotes.succeeded();
      return written;
    } catch (RuntimeException e) {
      failed(workerLogNotes, e);
      return Map.of();
    }
  }

  private void pollTrigger() {
    List<PipelineEvent.TriggerDecided> decisions;
    try {
      decisions = triggerLog.poll();
      triggerNotes.succeeded();
    } catch (RuntimeException e) {
      failed(triggerNotes, e);
      return;
    }
    for (PipelineEvent.TriggerDecided d : decisions) {
      log.info("trigger ({}): {} - {}", d.cause(), d.action(), d.note());
      events.publish(d);
    }
  }

  private void failed(FailureNotes notes, RuntimeException e) {
    if (closing) {
      log.debug("poll stopped by close: {}", e.toString());
    } else {
      notes.failed(e);
    }
  }

  private void schedule(Runnable poll, Duration period) {
    scheduler.scheduleWithFixedDelay(poll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops the poll loops, waits for polls in flight (closing the clients aborts one stuck on the
   * network), and closes the clients. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closing = true;
    scheduler.shutdownNow();
    boolean interrupted = false;
    try {
      if (!scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("a poll is still running after {}; closing its clients", seconds(STOP_WAIT));
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      services.close();
      monitor.close();
      if (!interrupted
          && !scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("a poll thread did not stop within {} of closing its clients", seconds(STOP_WAIT));
      }
      // The pool has terminated once its threads leave their loop; they end a moment later.
      // Waiting for that too makes close() return with none of them left.
      long until = System.nanoTime() + STOP_WAIT.toNanos();
      for (Thread t : pollThreads) {
        long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        if (!interrupted && left > 0) {
          t.join(left);
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ThreadFactory threads(Set<Thread> started) {
    int watcher = WATCHERS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "aws-watch-" + watcher + "-" + n.incrementAndGet());
      // Daemon as a last resort: close() is what stops them.
      t.setDaemon(true);
      started.add(t);
      return t;
    };
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
