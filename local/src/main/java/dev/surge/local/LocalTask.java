package dev.surge.local;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** One worker process and its lifecycle, as a {@link ProcessTaskLauncher} tracks it. */
final class LocalTask {

  /** Why the launcher is stopping a task, if it is. */
  enum StopCause {
    /** {@code kill}: SIGKILL at once. */
    KILLED("Killed by launcher (SIGKILL)"),
    /** {@code close}: SIGTERM, the worker drains and exits. */
    STOPPED("Task stopped by launcher (SIGTERM)"),
    /** {@code close}, and the stop timeout passed: SIGKILL. */
    FORCED("Task stopped by launcher: SIGKILL after the stop timeout");

    final String reason;

    StopCause(String reason) {
      this.reason = reason;
    }
  }

  /** ECS's stop reason when a task's essential container exits by itself. */
  static final String EXITED = "Essential container in task exited";

  final String id;
  final Process process;
  final Instant startedAt;
  final Path logFile;
  final CountDownLatch stopped = new CountDownLatch(1);

  private TaskState state = TaskState.PROVISIONING;
  private Instant stoppedAt;
  private Integer exitCode;
  private String stopReason;
  private long itemsWritten;
  private long messagesDeleted = -1;
  private long requests;
  private long sqsRequests;
  private long dynamoDbRequests;
  private StopCause cause;

  LocalTask(String id, Process process, Instant startedAt, Path logFile) {
    this.id = id;
    this.process = process;
    this.startedAt = startedAt;
    this.logFile = logFile;
  }

  synchronized TaskView view() {
    return new TaskView(
        id,
        id,
        state,
        startedAt,
        Optional.ofNullable(stoppedAt),
        Optional.ofNullable(exitCode),
        Optional.ofNullable(stopReason));
  }

  synchronized boolean alive() {
    return state.alive();
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
    return Duration.between(startedAt, stoppedAt != null ? stoppedAt : now);
  }

  /** PROVISIONING to RUNNING; false if it was not provisioning. */
  synchronized boolean running() {
    if (state != TaskState.PROVISIONING) {
      return false;
    }
    state = TaskState.RUNNING;
    return true;
  }

  /**
   * Records that the launcher is stopping the task: a later cause (SIGKILL after SIGTERM) wins,
   * except over a kill, which is what happened to the task.
   *
   * @return false if the task has stopped already
   */
  synchronized boolean stopping(StopCause c) {
    if (!state.alive()) {
      return false;
    }
    if (cause != StopCause.KILLED) {
      cause = c;
    }
    return true;
  }

  synchronized void stopped(Instant at, int code) {
    state = TaskState.STOPPED;
    stoppedAt = at;
    exitCode = code;
    stopReason = cause == null ? EXITED : cause.reason;
  }
}
