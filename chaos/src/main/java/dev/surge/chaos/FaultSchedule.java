package dev.surge.chaos;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.ThrottlingProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * The faults {@code surge chaos} injects, in order, each once the run has worked through a share of
 * the messages: progress rather than time, so the same schedule lands mid-drain on a fast machine
 * and a slow one, and each fault starts only after the one before it has ended.
 *
 * <ol>
 *   <li>at 10%: two workers killed with SIGKILL (their messages come back after the visibility
 *       timeout);
 *   <li>at 20%: the whole fleet stopped with SIGTERM (the reconciler must start a new one);
 *   <li>at 35%: SQS unreachable for 5 s (connections reset by a proxy in front of it);
 *   <li>at 50%: DynamoDB paused for 5 s (SIGSTOP, then SIGCONT, of dynalite);
 *   <li>at 65%: {@code BatchWriteItem} throttled for 10 s ({@code
 *       ProvisionedThroughputExceededException} and {@code UnprocessedItems}, in turn).
 * </ol>
 */
final class FaultSchedule {
  /** What the faults act on. */
  record Targets(
      ProcessTaskLauncher launcher, FaultProxy sqs, ThrottlingProxy dynamodb, long dynalitePid) {
    Targets {
      Objects.requireNonNull(launcher, "launcher");
      Objects.requireNonNull(sqs, "sqs");
      Objects.requireNonNull(dynamodb, "dynamodb");
    }
  }

  /**
   * One injected fault.
   *
   * @param name a short name, stable for scripts
   * @param atSeconds when it began, seconds after the run started
   * @param progress the share of messages worked through then, 0..1
   * @param seconds how long it lasted
   * @param affected what it hit: tasks killed or stopped, connections reset, requests held, calls
   *     throttled
   * @param detail what it did
   */
  record Injected(
      String name,
      double atSeconds,
      double progress,
      double seconds,
      long affected,
      String detail) {}

  /** A fault's outcome: how many things it hit, and in words. */
  record Outcome(long affected, String detail) {}

  /** What a fault does, on the schedule's targets. */
  @FunctionalInterface
  interface Action {
    Outcome inject(FaultSchedule schedule) throws InterruptedException;
  }

  /**
   * A fault of the schedule.
   *
   * @param name a short name, stable for scripts
   * @param at the share of the messages worked through when it is due
   * @param victims running tasks it needs (it waits for them)
   * @param description what it does, in words
   * @param action what it does
   */
  record Fault(String name, double at, int victims, String description, Action action) {}

  /** The schedule, in order. */
  static final List<Fault> FAULTS =
      List.of(
          new Fault(
              "kill-2-workers", 0.10, 2, "SIGKILL of two workers", FaultSchedule::killTwoWorkers),
          new Fault(
              "sigterm-fleet", 0.20, 1, "SIGTERM of the whole fleet", FaultSchedule::stopTheFleet),
          new Fault(
              "sqs-unreachable-5s",
              0.35,
              0,
              "SQS unreachable for 5 s (connections reset)",
              FaultSchedule::cutSqs),
          new Fault(
              "dynamodb-paused-5s",
              0.50,
              0,
              "DynamoDB paused for 5 s (SIGSTOP of dynalite)",
              FaultSchedule::pauseDynamoDb),
          new Fault(
              "batchwrite-throttled-10s",
              0.65,
              0,
              "BatchWriteItem throttled for 10 s (ProvisionedThroughputExceeded and"
                  + " UnprocessedItems in turn)",
              FaultSchedule::throttleBatchWrites));

  private static final Duration OUTAGE = Duration.ofSeconds(5);
  private static final Duration THROTTLING = Duration.ofSeconds(10);

  private final Targets targets;
  private final long startNanos;
  private final DoubleSupplier progress;
  private final BooleanSupplier finished;
  private final List<Injected> injected = new ArrayList<>();

  /**
   * A schedule acting on {@code targets}.
   *
   * @param progress the share of the messages worked through so far, 0..1
   * @param finished whether the run is over (nothing left to inject a fault into)
   */
  FaultSchedule(
      Targets targets, long startNanos, DoubleSupplier progress, BooleanSupplier finished) {
    this.targets = targets;
    this.startNanos = startNanos;
    this.progress = progress;
    this.finished = finished;
  }

  /** Runs the schedule on this thread; returns when every fault is done or the run is over. */
  void run(java.util.function.Consumer<Injected> onEach) throws InterruptedException {
    for (Fault f : FAULTS) {
      if (!awaitTurn(f)) {
        return;
      }
      double at = seconds();
      double p = progress.getAsDouble();
      Outcome o = f.action().inject(this);
      Injected i = new Injected(f.name(), at, p, seconds() - at, o.affected(), o.detail());
      synchronized (this) {
        injected.add(i);
      }
      onEach.accept(i);
    }
  }

  /** The faults injected so far. */
  synchronized List<Injected> injected() {
    return List.copyOf(injected);
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  // Waits for the fault's share of the run, and for its victims: workers to kill or stop.
  private boolean awaitTurn(Fault f) throws InterruptedException {
    int victims = f.victims();
    while (!finished.getAsBoolean()) {
      if (progress.getAsDouble() >= f.at() && running().size() >= victims) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private List<TaskView> running() {
    return targets.launcher().tasks().stream().filter(t -> t.state() == TaskState.RUNNING).toList();
  }

  private Outcome killTwoWorkers() {
    List<String> killed = new ArrayList<>();
    for (TaskView t :
        running().stream()
            .sorted(Comparator.comparing(TaskView::startedAt).reversed())
            .limit(2)
            .toList()) {
      if (targets.launcher().kill(t.taskId())) {
        killed.add(t.taskId());
      }
    }
    return new Outcome(killed.size(), "SIGKILL " + String.join(", ", killed));
  }

  private Outcome stopTheFleet() {
    List<String> stopped = targets.launcher().stopRunning();
    return new Outcome(stopped.size(), "SIGTERM " + stopped.size() + " task(s): " + exits(stopped));
  }

  private Outcome cutSqs() throws InterruptedException {
    long before = targets.sqs().refused();
    targets.sqs().down();
    try {
      Thread.sleep(OUTAGE.toMillis());
    } finally {
      targets.sqs().up();
    }
    long reset = targets.sqs().refused() - before;
    return new Outcome(reset, reset + " connection(s) refused while down");
  }

  private Outcome pauseDynamoDb() throws InterruptedException {
    Thread resume = new Thread(() -> signal("CONT"), "dynalite-resume");
    Runtime.getRuntime().addShutdownHook(resume);
    int held;
    signal("STOP");
    try {
      Thread.sleep(OUTAGE.toMillis());
    } finally {
      held = targets.dynamodb().waiting();
      signal("CONT");
      Runtime.getRuntime().removeShutdownHook(resume);
    }
    return new Outcome(
        held,
        "dynalite (pid "
            + targets.dynalitePid()
            + ") SIGSTOP, SIGCONT after 5 s; "
            + held
            + " worker request(s) were waiting on it");
  }

  private Outcome throttleBatchWrites() throws InterruptedException {
    ThrottlingProxy p = targets.dynamodb();
    long calls = p.throttledCalls();
    long refused = p.refusedCalls();
    long items = p.unprocessedItems();
    p.throttle(true);
    try {
      Thread.sleep(THROTTLING.toMillis());
    } finally {
      p.throttle(false);
    }
    long hit = p.throttledCalls() - calls;
    return new Outcome(
        hit,
        hit
            + " BatchWriteItem call(s) throttled: "
            + (p.refusedCalls() - refused)
            + " refused whole, "
            + (p.unprocessedItems() - items)
            + " item(s) handed back unprocessed");
  }

  private String exits(List<String> ids) {
    List<String> codes = new ArrayList<>();
    for (String id : ids) {
      codes.add(
          id
              + " exit "
              + targets
                  .launcher()
                  .task(id)
                  .flatMap(TaskView::exitCode)
                  .map(String::valueOf)
                  .orElse("?"));
    }
    return String.join(", ", codes);
  }

  private void signal(String name) {
    try {
      Process p =
          new ProcessBuilder("kill", "-" + name, Long.toString(targets.dynalitePid()))
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "kill -"
                + name
                + " "
                + targets.dynalitePid()
                + " failed: "
                + new String(
                    p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + name, e);
    }
  }
}
