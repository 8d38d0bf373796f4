package dev.surge.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What kept a worker from starting to drain, as {@link StartupProbe} found it before the first
 * receive. Each says what is wrong, never what to do about it: that is {@link StartupAdvice}'s, so
 * the probe (the same in a container and at a terminal) decides no user-facing text.
 */
sealed interface StartupFailure {

  /**
   * Whether a setting or a resource is to fix (exit 2), rather than a failure (exit 1). Only an
   * endpoint that stopped answering during the start-up retry is a failure.
   */
  default boolean misconfigured() {
    return true;
  }

  /**
   * The queue, named by name or URL, does not exist.
   *
   * @param nameOrUrl the queue as the settings name it
   * @param endpoint where it was looked up
   */
  record QueueMissing(String nameOrUrl, String endpoint) implements StartupFailure {
    /** Requires every part. */
    public QueueMissing {
      Objects.requireNonNull(nameOrUrl, "nameOrUrl");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /**
   * The queue was found, but was gone when its attributes were read.
   *
   * @param url the URL it was found at
   */
  record QueueGone(String url) implements StartupFailure {
    /** Requires the URL. */
    public QueueGone {
      Objects.requireNonNull(url, "url");
    }
  }

  /**
   * The queue has no dead-letter queue, so a message that can never be written would never leave.
   *
   * @param queue the queue as the settings name it
   */
  record NoRedrivePolicy(String queue) implements StartupFailure {
    /** Requires the queue. */
    public NoRedrivePolicy {
      Objects.requireNonNull(queue, "queue");
    }
  }

  /**
   * The table does not exist.
   *
   * @param table its name
   * @param endpoint where it was looked for
   */
  record TableMissing(String table, String endpoint) implements StartupFailure {
    /** Requires every part. */
    public TableMissing {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /**
   * The table's key is not the items', so every write would fail.
   *
   * @param table its name
   * @param key the table's key, as {@code ItemSchema.keyMismatch} describes it
   */
  record KeyMismatch(String table, String key) implements StartupFailure {
    /** Requires every part. */
    public KeyMismatch {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * An endpoint did not answer and no start-up retry was asked for (a worker run by hand): the
   * endpoint setting is what to fix.
   *
   * @param service "SQS" or "DynamoDB"
   * @param endpoint the endpoint called
   * @param detail the SDK's message
   */
  record NotReachable(String service, String endpoint, String detail) implements StartupFailure {
    /** Requires every part. */
    public NotReachable {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * An endpoint did not answer until the start-up retry ran out (or the worker was stopped).
   *
   * @param service "SQS" or "DynamoDB"
   * @param endpoint the endpoint called
   * @param detail the SDK's last message
   * @param retriedFor the start-up retry, when more than one attempt was made
   */
  record NoAnswer(String service, String endpoint, String detail, Optional<Duration> retriedFor)
      implements StartupFailure {
    /** Requires every part. */
    public NoAnswer {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(retriedFor, "retriedFor");
    }

    @Override
    public boolean misconfigured() {
      return false;
    }
  }
}
