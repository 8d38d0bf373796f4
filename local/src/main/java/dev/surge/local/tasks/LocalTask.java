package dev.surge.local.tasks;

import dev.surge.core.port.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/** One task, its process and its lifecycle, as a {@link ProcessTaskLauncher} tracks it. */
final class LocalTask {

  /** Why the launcher is stopping a task, if it is. */
  enum StopCause {
    /** {@code kill}: SIGKILL at once, as a crash. */
    KILLED("Killed by launcher (SIGKILL)", TaskDetails.ESSENTIAL_CONTAINER_EXITED),
    /** {@code close}: SIGTERM, the worker drains and exits. */
    STOPPED("Task stopped by launcher (SIGTERM)", TaskDetails.USER_INITIATED),
    /** {@code close}, and the stop timeout passed: SIGKILL. */
    FORCED("Task stopped by launcher: SIGKILL after the stop timeout", TaskDetails.USER_INITIATED),
    /** {@code StopTask}: SIGTERM, and SIGKILL after the container's stop timeout. */
    USER("Task stopped by user", TaskDetails.USER_INITIATED);

    final String reason;
    final String stopCode;

    StopCause(String reason, String stopCode) {
      this.reason = reason;
      this.stopCode = stopCode;
    }
  }

  /** ECS's stop reason when a task's essential container exits by itself. */
  static final String EXITED = "Essential container in task exited";

  final String id;
  final TaskRequest request;
  final Instant createdAt;
  final Path logFile;
  final Duration stopTimeout;

  /** The task's part of its metadata endpoint's path, as unguessable as a container's id. */
  final String metadataToken = UUID.randomUUID().toString().replace("-", "");

  final CountDownLatch stopped = new CountDownLatch(1);

  private Process process;
  private TaskStatus status = TaskStatus.PROVISIONING;
  private final List<TaskDetails.StatusChange> history = new ArrayList<>();
  private Instant pendingAt;
  private Instant runningAt;
  private Instant stoppingAt;
  private Instant executionStoppedAt;
  private Instant stoppedAt;
  // When each line of its output was written to its log, in epoch milliseconds.
  private long[] lineTimes = new long[16];
  private int lines;
  private Integer exitCode;
  private String stopReason;
  private String stopCode;
  private long itemsWritten;
  private long messagesDeleted = -1;
  private long requests;
  private long sqsRequests;
  private long dynamoDbRequests;
  private StopCause cause;
  private String userReason;

  LocalTask(String id, TaskRequest request, Instant createdAt, Path logFile, Duration stopTimeout) {
    this.id = id;
    this.request = request;
    this.createdAt = createdAt;
    this.logFile = logFile;
    this.stopTimeout = stopTimeout;
    history.add(new TaskDetails.StatusChange(TaskStatus.PROVISIONING, createdAt));
  }

  private void status(TaskStatus s, Instant at) {
    status = s;
    history.add(new TaskDetails.StatusChange(s, at));
  }

  synchronized Optional<Process> process() {
    return Optional.ofNullable(process);
  }

  synchronized TaskView view() {
    return new TaskView(
        id,
        id,
        status.state(runningAt != null),
        createdAt,
        Optional.ofNullable(stoppedAt),
        Optional.ofNullable(exitCode),
        Optional.ofNullable(stopReason));
  }

  /** Its view with what ECS reports besides. */
  synchronized TaskDetails details() {
    boolean asked = cause != null && cause != StopCause.KILLED;
    return new TaskDetails(
        view(),
        request,
        status,
        asked || status == TaskStatus.DEPROVISIONING || status == TaskStatus.STOPPED,
        Optional.ofNullable(pendingAt),
        Optional.ofNullable(runningAt),
        Optional.ofNullable(stoppingAt),
        Optional.ofNullable(executionStoppedAt),
        Optional.ofNullable(stopCode),
        metadataToken,
        List.copyOf(history));
  }

  /** PROVISIONING to PENDING: its process is being started. */
  synchronized void pending(Instant at) {
    pendingAt = at;
    status(TaskStatus.PENDING, at);
  }

  /** Its process started. */
  synchronized void started(Process p) {
    process = p;
  }

  /** Its process could not start: STOPPED at once, {@code TaskFailedToStart}. */
  synchronized void failedToStart(Instant at, String why) {
    executionStoppedAt = at;
    status(TaskStatus.STOPPED, at);
    stoppedAt = at;
    stopCode = TaskDetails.TASK_FAILED_TO_START;
    stopReason = "CannotStartContainerError: " + why;
    stopped.countDown();
  }

  /** Notes that one more line of its output was written to its log at {@code at}. */
  synchronized void lineWritten(Instant at) {
    if (lines == lineTimes.length) {
      lineTimes = Arrays.copyOf(lineTimes, lines * 2);
    }
    lineTimes[lines++] = at.toEpochMilli();
  }

  /** When each line of its log was written, in epoch milliseconds, oldest first. */
  synchronized long[] lineTimes() {
    return Arrays.copyOf(lineTimes, lines);
  }

  synchronized boolean alive() {
    return status != TaskStatus.STOPPED;
  }

  synchronized long itemsWritten() {
    return itemsWritten;
  }

  synchronized void itemsWritten(long n) {
    itemsWritten = n;
  }

  /**
   * Messages it wrote and deleted, by its summary; -1 until it has reported (or if it never did).
   */
  synchronized long messagesDeleted() {
    return messagesDeleted;
  }

  synchronized void messagesDeleted(long n) {
    messagesDeleted = n;
  }

  synchronized long requests() {
    return requests;
  }

  synchronized void requests(long n) {
    requests = n;
  }

  /** The SQS and DynamoDB requests of its summary. */
  synchronized void requestsByService(long sqs, long dynamoDb) {
    sqsRequests = sqs;
    dynamoDbRequests = dynamoDb;
  }

  synchronized long sqsRequests() {
    return sqsRequests;
  }

  synchronized long dynamoDbRequests() {
    return dynamoDbRequests;
  }

  /** How long it has run (until {@code now} if it still runs). */
  synchronized Duration ran(Instant now) {
    return Duration.between(createdAt, stoppedAt != null ? stoppedAt : now);
  }

  /** PENDING to RUNNING at {@code at}; false if it was not pending. */
  synchronized boolean running(Instant at) {
    if (status != TaskStatus.PENDING) {
      return false;
    }
    runningAt = at;
    status(TaskStatus.RUNNING, at);
    return true;
  }

  /**
   * Records that the task is being stopped: a later cause (SIGKILL after SIGTERM) wins, except over
   * a kill, which is what happened to the task, and the user's stop, whose reason stays.
   *
   * @param at when: the first stop that is not a kill is when ECS would say it was asked to stop
   * @param reason the user's reason ({@code StopTask}'s), if given
   * @return false if the task has stopped already
   */
  synchronized boolean stopping(StopCause c, Instant at, Optional<String> reason) {
    if (status == TaskStatus.STOPPED || process == null) {
      return false;
    }
    if (cause == null
        || (cause != StopCause.KILLED && !(cause == StopCause.USER && c == StopCause.FORCED))) {
      cause = c;
    }
    if (c == StopCause.USER) {
      userReason = reason.orElse(null);
    }
    if (c != StopCause.KILLED && stoppingAt == null) {
      stoppingAt = at;
    }
    return true;
  }

  /** Its output ended: its process has exited, the launcher collects its exit code. */
  synchronized void deprovisioning(Instant at) {
    if (status != TaskStatus.STOPPED) {
      executionStoppedAt = at;
      status(TaskStatus.DEPROVISIONING, at);
    }
  }

  synchronized void stopped(Instant at, int code) {
    if (executionStoppedAt == null) {
      executionStoppedAt = at;
    }
    status(TaskStatus.STOPPED, at);
    stoppedAt = at;
    exitCode = code;
    if (cause == null) {
      stopReason = EXITED;
      stopCode = TaskDetails.ESSENTIAL_CONTAINER_EXITED;
    } else {
      stopReason = cause == StopCause.USER && userReason != null ? userReason : cause.reason;
      stopCode = cause.stopCode;
    }
  }
}
