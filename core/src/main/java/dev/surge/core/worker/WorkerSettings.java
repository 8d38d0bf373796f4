package dev.surge.core.worker;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.retry.Backoff;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a worker needs to know, read once from its environment (container style) and then
 * overridden by CLI flags.
 *
 * @param queue queue name or URL
 * @param table table name
 * @param concurrency number of concurrent pollers
 * @param pollWait long-poll wait of each {@code ReceiveMessage}: whole seconds, 1..20 ({@link
 *     #isLongPoll})
 * @param idleWindow how long every poll must come back empty before the worker checks the queue and
 *     exits
 * @param visibilityTimeout visibility timeout requested on receive; empty = the queue's own
 * @param writeBackoff retries of unprocessed items and throttled writes
 * @param shutdownGrace how long a stop may take before held messages are abandoned to redelivery
 * @param startupRetry how long the first calls (queue URL and attributes, table) are retried while
 *     an endpoint does not answer, before the worker gives up with exit 1 (a blip at start-up is
 *     not fatal); zero retries nothing and reports the endpoint as a setting to fix (exit 2)
 */
public record WorkerSettings(
    String queue,
    String table,
    int concurrency,
    Duration pollWait,
    Duration idleWindow,
    Optional<Duration> visibilityTimeout,
    Backoff writeBackoff,
    Duration shutdownGrace,
    Duration startupRetry) {

  /** Environment variable: queue name or URL. */
  public static final String QUEUE = "SURGE_QUEUE";

  /** Environment variable: table name. */
  public static final String TABLE = "SURGE_TABLE";

  /** Environment variable: pollers per worker. */
  public static final String CONCURRENCY = "SURGE_CONCURRENCY";

  /** Environment variable: long-poll wait in seconds. */
  public static final String POLL_WAIT = "SURGE_POLL_WAIT_SECONDS";

  /** Environment variable: idle window in seconds. */
  public static final String IDLE = "SURGE_IDLE_SECONDS";

  /** Environment variable: visibility timeout to request, in seconds. */
  public static final String VISIBILITY = "SURGE_VISIBILITY_SECONDS";

  /** Environment variable: grace period on SIGTERM, in seconds. */
  public static final String SHUTDOWN_GRACE = "SURGE_SHUTDOWN_GRACE_SECONDS";

  /** Environment variable: seconds an unreachable endpoint is retried at start-up. */
  public static final String STARTUP_RETRY = "SURGE_STARTUP_RETRY_SECONDS";

  /**
   * Default pollers per worker. {@code surge bench --concurrency K} on a 2-core machine with the
   * local stand-ins: 2 and 4 pollers drain at about the same rate (the stand-ins saturate the
   * cores), 8 and 16 are slower; in AWS each poller is latency-bound, so 4 keeps four requests in
   * flight without crowding a 0.25-vCPU task.
   */
  public static final int DEFAULT_CONCURRENCY = 4;

  /** Validates ranges; see the field docs. */
  public WorkerSettings {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(pollWait, "pollWait");
    Objects.requireNonNull(idleWindow, "idleWindow");
    Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
    Objects.requireNonNull(writeBackoff, "writeBackoff");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(startupRetry, "startupRetry");
    if (startupRetry.isNegative()) {
      throw new ConfigException("start-up retry must not be negative");
    }
    if (queue.isBlank() || table.isBlank()) {
      throw new ConfigException("queue and table names must not be blank");
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new ConfigException("concurrency must be 1..64, was " + concurrency);
    }
    if (!isLongPoll(pollWait)) {
      throw new ConfigException(
          "poll wait "
              + BigDecimal.valueOf(pollWait.toMillis(), 3).stripTrailingZeros().toPlainString()
              + " s is not a long poll; "
              + LONG_POLL);
    }
    if (idleWindow.isNegative()) {
      throw new ConfigException("idle window must not be negative");
    }
    visibilityTimeout.ifPresent(
        v -> {
          if (v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofHours(12)) > 0) {
            throw new ConfigException("visibility timeout must be 1 s..12 h, was " + v);
          }
        });
  }

  /** SQS's longest long poll ({@code WaitTimeSeconds}). */
  public static final Duration MAX_POLL_WAIT = Duration.ofSeconds(20);

  private static final String LONG_POLL =
      "use a whole number of seconds, 1..20 (SQS's long poll; 0 is short polling, which spins on"
          + " an empty queue)";

  /**
   * Whether {@code wait} is a long poll as SQS takes it: {@code WaitTimeSeconds} is whole seconds,
   * at most 20, and 0 is a short poll, which returns at once from an empty queue (an idle worker
   * would spin, a receive after another, instead of waiting).
   */
  public static boolean isLongPoll(Duration wait) {
    return wait.compareTo(Duration.ofSeconds(1)) >= 0
        && wait.compareTo(MAX_POLL_WAIT) <= 0
        && wait.getNano() == 0;
  }

  /**
   * Parses {@code text}, the value of setting {@code name} (a variable or a flag), as a poll wait.
   *
   * @throws ConfigException naming the setting, when it is not a whole number of seconds 1..20
   */
  public static Duration parsePollWait(String name, String text) {
    String problem = name + "='" + text + "' is not a long-poll wait; " + LONG_POLL;
    Duration wait;
    try {
      wait = Duration.ofSeconds(new BigDecimal(text.trim()).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(problem, e);
    }
    if (!isLongPoll(wait)) {
      throw new ConfigException(problem);
    }
    return wait;
  }

  /** Seed names, measured defaults. */
  public static WorkerSettings defaults() {
    ResourceNames names = ResourceNames.seed();
    return new WorkerSettings(
        names.queue(),
        names.table(),
        DEFAULT_CONCURRENCY,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Optional.empty(),
        Backoff.standard(),
        Duration.ofSeconds(25),
        Duration.ofSeconds(30));
  }

  /** Reads the {@code SURGE_*} variables; absent ones take the defaults. */
  public static WorkerSettings fromEnvironment(Env env) {
    WorkerSettings d = defaults();
    return new WorkerSettings(
        env.string(QUEUE, d.queue()),
        env.string(TABLE, d.table()),
        env.integer(CONCURRENCY, d.concurrency(), 1, 64),
        env.get(POLL_WAIT).map(v -> parsePollWait(POLL_WAIT, v)).orElse(d.pollWait()),
        env.seconds(IDLE, d.idleWindow(), Duration.ZERO, Duration.ofHours(1)),
        env.get(VISIBILITY)
            .map(v -> Env.parseSeconds(VISIBILITY, v, Duration.ofSeconds(1), Duration.ofHours(12))),
        d.writeBackoff(),
        env.seconds(
            SHUTDOWN_GRACE, d.shutdownGrace(), Duration.ofSeconds(1), Duration.ofMinutes(2)),
        env.seconds(STARTUP_RETRY, d.startupRetry(), Duration.ZERO, Duration.ofMinutes(10)));
  }

  /** A copy with another queue. */
  public WorkerSettings withQueue(String value) {
    return new WorkerSettings(
        value,
        table,
        concurrency,
        pollWait,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another table. */
  public WorkerSettings withTable(String value) {
    return new WorkerSettings(
        queue,
        value,
        concurrency,
        pollWait,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another concurrency. */
  public WorkerSettings withConcurrency(int value) {
    return new WorkerSettings(
        queue,
        table,
        value,
        pollWait,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another poll wait. */
  public WorkerSettings withPollWait(Duration value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        value,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another idle window. */
  public WorkerSettings withIdleWindow(Duration value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        pollWait,
        value,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another visibility timeout. */
  public WorkerSettings withVisibilityTimeout(Optional<Duration> value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        pollWait,
        idleWindow,
        value,
        writeBackoff,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another write backoff. */
  public WorkerSettings withWriteBackoff(Backoff value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        pollWait,
        idleWindow,
        visibilityTimeout,
        value,
        shutdownGrace,
        startupRetry);
  }

  /** A copy with another shutdown grace. */
  public WorkerSettings withShutdownGrace(Duration value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        pollWait,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        value,
        startupRetry);
  }

  /** A copy with another start-up retry window. */
  public WorkerSettings withStartupRetry(Duration value) {
    return new WorkerSettings(
        queue,
        table,
        concurrency,
        pollWait,
        idleWindow,
        visibilityTimeout,
        writeBackoff,
        shutdownGrace,
        value);
  }
}
