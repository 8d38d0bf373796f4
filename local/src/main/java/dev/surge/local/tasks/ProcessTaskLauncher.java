package dev.surge.local.tasks;

import dev.surge.core.cost.RunUsage;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.TaskView;
import dev.surge.local.logs.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECS {@code RunTask}, locally: each task runs a revision of a task definition ({@link
 * TaskDefinitions}) as a process of this machine, with its own task id ({@code task-0001}, ...).
 * The chain's own definition runs Surge's worker ({@link WorkerCommand}) with the target's endpoint
 * variables and the launcher's settings; a definition of the user's runs its container's {@code
 * entryPoint} and {@code command} with its environment and overrides, the local cloud's endpoint,
 * region and credentials, and a task metadata endpoint ({@link TaskMetadataServer}). It serves the
 * local ECS: the endpoint's {@code RunTask} (the chain's function's included, which names the
 * family, so its latest revision) runs tasks with {@link #run}; the viewers, the run summaries and
 * the bills read its tasks. A task is PROVISIONING until its process starts, PENDING while it
 * starts (Surge's worker: until it prints its ready line), RUNNING, DEPROVISIONING once its process
 * has exited while its output and exit code are collected, then STOPPED, with its exit code, a stop
 * code and a stop reason ({@link TaskDetails}). Each task's output goes to {@code <log
 * directory>/<task id>.log}; a worker's summary line gives the items it wrote. Every change of its
 * viewers' state is published as a {@link PipelineEvent.TaskChanged}. A worker command with a
 * class-data directory gets each worker task's AppCDS options from its {@link ClassDataArchive}:
 * the first task makes the archive, later ones map it.
 *
 * <p>No worker outlives the launcher: {@link #close()} (and a JVM shutdown hook) sends SIGTERM and,
 * after the stop timeout, SIGKILL; and each worker stops by itself when its standard input, whose
 * other end only this launcher holds, closes, which the operating system does when this JVM dies in
 * any way. Thread-safe.
 */
public final class ProcessTaskLauncher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessTaskLauncher.class);

  private final LauncherSettings settings;
  private final WorkerCommand command;
  private final TaskPlatform platform;
  private final TaskDefinitions definitions;
  private final TaskProcesses processes;
  private final Clock clock;
  private final EventLog events;
  private final Thread shutdownHook;

  // Guarded by this: every task in launch order, the id counter, the lifecycle flags.
  private final List<LocalTask> tasks = new ArrayList<>();
  private int sequence;
  private boolean closed;
  private boolean hookInstalled;

  /**
   * A launcher starting {@code command} with {@code settings} as the seed's task definition, in the
   * local account and the target's region, stamping states with {@code clock} and publishing them
   * to {@code events}. Creates the log directory.
   *
   * @throws UncheckedIOException if the log directory cannot be created
   */
  public ProcessTaskLauncher(
      LauncherSettings settings, WorkerCommand command, Clock clock, EventLog events) {
    this(
        settings,
        command,
        clock,
        events,
        TaskPlatform.seed(
            settings.target().region().isEmpty()
                ? dev.surge.aws.AwsTarget.LOCAL_REGION
                : settings.target().region(),
            clock.instant()));
  }

  /**
   * A launcher running the task definitions of {@code platform}: its family's first revision is
   * {@code command} with {@code settings}, the ones registered later what they say. Creates the log
   * directory.
   *
   * @throws UncheckedIOException if the log directory cannot be created
   */
  public ProcessTaskLauncher(
      LauncherSettings settings,
      WorkerCommand command,
      Clock clock,
      EventLog events,
      TaskPlatform platform) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.command = Objects.requireNonNull(command, "command");
    this.platform = Objects.requireNonNull(platform, "platform");
    this.definitions = new TaskDefinitions(platform.workerDefinition(settings, command));
    this.processes =
        new TaskProcesses(
            settings,
            command,
            platform,
            token -> details().stream().filter(d -> d.metadataToken().equals(token)).findFirst());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
    try {
      Files.createDirectories(settings.logDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + settings.logDirectory(), e);
    }
    this.shutdownHook = new Thread(this::stopAll, "task-launcher-shutdown");
  }

  /** The task definitions it runs: the chain's own and those registered since. */
  public TaskDefinitions definitions() {
    return definitions;
  }

  /** The region, account, cluster and names its tasks run under. */
  public TaskPlatform platform() {
    return platform;
  }

  /**
   * What {@link #run} did: the tasks it made, in order (a task whose process could not start is
   * among them, STOPPED with {@value TaskDetails#TASK_FAILED_TO_START}), and one failure per task
   * that was not made (no room, or the launcher is closed).
   */
  public record Run(List<String> tasks, List<LaunchFailure> failures) {
    /** Copies both lists. */
    public Run {
      tasks = List.copyOf(tasks);
      failures = List.copyOf(failures);
    }
  }

  /**
   * A request for the latest revision of the chain's family, started by {@code startedBy}: what
   * {@code RunTask} of the family asks for.
   */
  public TaskRequest latestOfFamily(String startedBy) {
    TaskDefinition latest =
        definitions.latest(platform.names().taskFamily()).orElseThrow(); // revision 1 at least
    return TaskRequest.of(latest, startedBy);
  }

  /**
   * Starts up to {@code count} tasks of {@code request}, as many as {@code maxTasks} leaves room
   * for; each task that does not fit is a {@code capacity} failure.
   */
  public Run run(TaskRequest request, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    Objects.requireNonNull(request, "request");
    List<String> made = new ArrayList<>();
    List<LaunchFailure> failures = new ArrayList<>();
    List<LocalTask> fresh = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        for (int i = 0; i < count; i++) {
          failures.add(new LaunchFailure("closed", "the task launcher is shut down"));
        }
        return new Run(made, failures);
      }
      installHook();
      int alive = running();
      int room = Math.max(0, settings.maxTasks() - alive);
      for (int i = 0; i < count; i++) {
        if (i >= room) {
          failures.add(
              new LaunchFailure(
                  "capacity",
                  "at most " + settings.maxTasks() + " tasks may run at once; " + alive + " do"));
          continue;
        }
        String id = String.format("task-%04d", ++sequence);
        LocalTask t =
            new LocalTask(id, request, clock.instant(), logFile(id), stopTimeout(request));
        tasks.add(t);
        made.add(id);
        try {
          start(t);
          fresh.add(t);
        } catch (IOException | RuntimeException e) {
          String why = Objects.toString(e.getMessage(), e.toString());
          log.error("task {} could not start: {}", id, why);
          t.failedToStart(clock.instant(), why);
          fresh.add(t);
        }
      }
    }
    // Outside the lock: event subscribers may call back into tasks().
    for (LocalTask t : fresh) {
      Optional<Process> p = t.process();
      publish(t);
      if (p.isEmpty()) {
        continue; // STOPPED: its process never started
      }
      log.info("task {} started (pid {})", t.id, p.get().pid());
      Thread reader =
          new Thread(() -> TaskOutput.follow(t, p.get(), clock, this::publish), t.id + "-output");
      reader.setDaemon(true);
      reader.start();
    }
    return new Run(made, failures);
  }

  /** How long a task of {@code request} gets between SIGTERM and SIGKILL. */
  private Duration stopTimeout(TaskRequest request) {
    TaskDefinition d = request.definition();
    if (d.worker()) {
      return settings.stopTimeout();
    }
    return d.container()
        .stopTimeout()
        .map(s -> Duration.ofSeconds(s))
        .orElse(LauncherSettings.DEFAULT_STOP_TIMEOUT);
  }

  /** API requests sent by the tasks that have stopped and reported them (their summaries). */
  public synchronized long workerRequests() {
    long n = 0;
    for (LocalTask t : tasks) {
      n += t.requests();
    }
    return n;
  }

  /**
   * Messages that the tasks from the {@code from}-th on (0 = the first, in launch order) wrote and
   * then deleted from the queue, as their summaries report them; a task still running, or killed
   * before it could report, adds nothing.
   */
  public synchronized long messagesWritten(int from) {
    long n = 0;
    for (int i = Math.max(0, from); i < tasks.size(); i++) {
      n += Math.max(0, tasks.get(i).messagesDeleted());
    }
    return n;
  }

  /**
   * What the fleet has used so far, as Fargate, SQS and DynamoDB would bill it: every task's run
   * time (until {@code now} for those still running), and the requests and items of the tasks that
   * have reported them (a killed task reports nothing).
   */
  public synchronized RunUsage usage(Instant now) {
    double seconds = 0;
    long sqs = 0;
    long written = 0;
    for (LocalTask t : tasks) {
      seconds += RunUsage.billedTaskSeconds(t.ran(now));
      sqs += t.sqsRequests();
      written += t.itemsWritten();
    }
    return new RunUsage(tasks.size(), seconds, sqs, written, 0, 0, 0, 0);
  }

  /** Tasks PROVISIONING or RUNNING. */
  public synchronized int running() {
    int n = 0;
    for (LocalTask t : tasks) {
      if (t.alive()) {
        n++;
      }
    }
    return n;
  }

  /** Every task started by this launcher, oldest first. */
  public List<TaskView> tasks() {
    List<LocalTask> copy;
    synchronized (this) {
      copy = List.copyOf(tasks);
    }
    return copy.stream().map(LocalTask::view).toList();
  }

  /** The task {@code taskId}, if this launcher started it. */
  public Optional<TaskView> task(String taskId) {
    return find(taskId).map(LocalTask::view);
  }

  /** Every task started by this launcher with the instants ECS reports besides, oldest first. */
  public List<TaskDetails> details() {
    List<LocalTask> copy;
    synchronized (this) {
      copy = List.copyOf(tasks);
    }
    return copy.stream().map(LocalTask::details).toList();
  }

  /** Task {@code taskId} with what ECS reports besides, if this launcher started it. */
  public Optional<TaskDetails> details(String taskId) {
    return find(taskId).map(LocalTask::details);
  }

  /**
   * The lines of task {@code taskId}'s log so far, each with when it was written (empty for a task
   * this launcher did not start).
   *
   * @throws UncheckedIOException if the log cannot be read
   */
  public List<LogLine> log(String taskId) {
    return find(taskId).map(TaskOutput::read).orElse(List.of());
  }

  /** What it starts each task with. */
  public LauncherSettings settings() {
    return settings;
  }

  /** The command it runs as each task (without the per-task class-data options). */
  public WorkerCommand command() {
    return command;
  }

  /**
   * The variables every task gets, as a task definition's {@code environment} would list them: all
   * but the two that name the task itself ({@code SURGE_TASK_ID}, {@code SURGE_HOST}).
   */
  public Map<String, String> environment() {
    return TaskEnvironment.common(settings);
  }

  /** The operating system's process of task {@code taskId}, if this launcher started it. */
  public Optional<ProcessHandle> process(String taskId) {
    return find(taskId).flatMap(LocalTask::process).map(Process::toHandle);
  }

  /** Where task {@code taskId} writes its output. */
  public Path logFile(String taskId) {
    return settings.logDirectory().resolve(taskId + ".log");
  }

  /**
   * Kills task {@code taskId} with SIGKILL, as a crash would; it then stops with a non-zero exit
   * code. Returns at once.
   *
   * @return false if no such task is alive
   */
  public boolean kill(String taskId) {
    return find(taskId).map(t -> TaskStops.kill(t, clock)).orElse(false);
  }

  /**
   * Stops task {@code taskId} as ECS's {@code StopTask} does: SIGTERM now, and SIGKILL once its
   * container's stop timeout has passed if it still runs; {@code reason} becomes its stop reason
   * ({@code Task stopped by user} without one), its stop code {@value TaskDetails#USER_INITIATED}.
   * Returns at once; a task that has stopped already is left as it is.
   *
   * @return the task as it is now, if this launcher started it
   */
  public Optional<TaskDetails> stop(String taskId, Optional<String> reason) {
    Optional<LocalTask> found = find(taskId);
    found.ifPresent(t -> TaskStops.stop(t, clock, reason));
    return found.map(LocalTask::details);
  }

  /**
   * Stops every alive task as ECS stops a task: SIGTERM, and SIGKILL once the stop timeout has
   * passed; returns when they have all stopped. Launches after this fail.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    stopAll();
    synchronized (this) {
      if (hookInstalled) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down; the hook runs stopAll, which finds nothing left to stop.
        }
        hookInstalled = false;
      }
    }
  }

  /**
   * Stops every task alive now as ECS's {@code StopTask} does (SIGTERM, and SIGKILL once the stop
   * timeout has passed) and returns when they have stopped; unlike {@link #close()}, later launches
   * still start tasks. {@code surge chaos} uses it to take the whole fleet away at once.
   *
   * @return the ids of the tasks it stopped
   */
  public List<String> stopRunning() {
    return stop(false);
  }

  private void stopAll() {
    stop(true);
  }

  private List<String> stop(boolean close) {
    List<LocalTask> alive = new ArrayList<>();
    synchronized (this) {
      closed |= close;
      for (LocalTask t : tasks) {
        if (t.stopping(LocalTask.StopCause.STOPPED, clock.instant(), Optional.empty())) {
          alive.add(t);
        }
      }
    }
    TaskStops.stopAll(alive, clock);
    if (close) {
      processes.close();
    }
    return alive.stream().map(t -> t.id).toList();
  }

  // Guarded by this: starts the process of task t, PENDING from now.
  private void start(LocalTask t) throws IOException {
    t.pending(clock.instant());
    t.started(processes.start(t));
    if (!t.request.definition().worker()) {
      t.running(clock.instant()); // no ready line to wait for: its container runs
    }
  }

  private void publish(LocalTask t) {
    events.publish(new PipelineEvent.TaskChanged(clock.instant(), t.view(), t.itemsWritten()));
  }

  private synchronized Optional<LocalTask> find(String taskId) {
    return tasks.stream().filter(t -> t.id.equals(taskId)).findFirst();
  }

  // Guarded by this.
  private void installHook() {
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      hookInstalled = true;
    }
  }
}
