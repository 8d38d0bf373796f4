package dev.surge.local.tasks;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
  private Instant runningAt;
  private Instant stoppingAt;
  private Instant stoppedAt;
  // When each line of its output was written to its log, in epoch milliseconds.
  private long[] lineTimes = new long[16];
  private int lines;
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

  /** Its view with the instants ECS reports besides (running since, asked to stop at). */
  synchronized TaskDetails details() {
    return new TaskDetails(view(), Optional.ofNullable(runningAt), Optional.ofNullable(stoppingAt));
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

  /** PROVISIONING to RUNNING at {@code at}; false if it was not provisioning. */
  synchronized boolean running(Instant at) {
    if (state != TaskState.PROVISIONING) {
      return false;
    }
    state = TaskState.RUNNING;
    runningAt = at;
    return true;
  }

  /**
   * Records that the launcher is stopping the task: a later cause (SIGKILL after SIGTERM) wins,
   * except over a kill, which is what happened to the task.
   *
   * @param at when: the first stop that is not a kill is when ECS would say it was asked to stop
   * @return false if the task has stopped already
   */
  synchronized boolean stopping(StopCause c, Instant at) {
    if (!state.alive()) {
      return false;
    }
    if (cause != StopCause.KILLED) {
      cause = c;
    }
    if (c != StopCause.KILLED && stoppingAt == null) {
      stoppingAt = at;
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
