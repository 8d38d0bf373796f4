package dev.surge.watch;

import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Reports the failures of one poll loop without flooding viewers: the first failure of a streak is
 * logged and published as a {@code warn} {@link PipelineEvent.Note}; the repeats are logged at
 * debug only; the first success after a streak publishes an {@code info} note, so a later failure
 * is shown again.
 */
final class FailureNotes {
  private static final Logger log = LoggerFactory.getLogger(FailureNotes.class);

  private final String what;
  private final EventLog events;
  private final Clock clock;
  private boolean failing;

  /**
   * Notes for the loop that reads {@code what} ("the alarm fasttrack-saa-backlog", ...).
   *
   * @param what the object of "could not read ..."
   */
  FailureNotes(String what, EventLog events, Clock clock) {
    this.what = Objects.requireNonNull(what, "what");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The loop failed with {@code e}. */
  synchronized void failed(RuntimeException e) {
    String text = "could not read " + what + ": " + describe(e) + "; retrying";
    if (failing) {
      log.debug("{}", text);
      return;
    }
    failing = true;
    log.warn("{}", text);
    events.publish(new PipelineEvent.Note(clock.instant(), "warn", text));
  }

  /** The loop succeeded. */
  synchronized void succeeded() {
    if (failing) {
      failing = false;
      String text = "reading " + what + " works again";
      log.info("{}", text);
      events.publish(new PipelineEvent.Note(clock.instant(), "info", text));
    }
  }

  /** The error code and message of a service error, else the exception's message. */
  static String describe(RuntimeException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      return s.awsErrorDetails().errorCode()
          + ": "
          + Objects.toString(s.awsErrorDetails().errorMessage(), "")
          + " (HTTP "
          + s.statusCode()
          + ")";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
