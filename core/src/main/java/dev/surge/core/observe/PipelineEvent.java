package dev.surge.core.observe;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.cost.AwsBill;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in the pipeline, as the dashboard, the terminal view and the demo summary
 * see it. Every part of the chain publishes these to an {@link EventLog}; {@link #type()} is the
 * stable name used on the wire (Server-Sent Events, JSON).
 */
public sealed interface PipelineEvent {

  /** When it happened. */
  Instant at();

  /** The stable wire name of the event type. */
  String type();

  /**
   * The queue's counters were sampled.
   *
   * @param at when
   * @param depth the work queue's counters
   * @param deadLetters messages in the dead-letter queue
   */
  record QueueSampled(Instant at, QueueDepth depth, long deadLetters) implements PipelineEvent {
    /** Requires every field. */
    public QueueSampled {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(depth, "depth");
    }

    @Override
    public String type() {
      return "queue";
    }
  }

  /**
   * The table's item count was read.
   *
   * @param at when
   * @param items items in the table
   */
  record ItemsCounted(Instant at, long items) implements PipelineEvent {
    @Override
    public String type() {
      return "items";
    }
  }

  /**
   * Messages were produced.
   *
   * @param at when
   * @param sent messages accepted so far in this run
   * @param target messages this run will send
   */
  record Produced(Instant at, long sent, long target) implements PipelineEvent {
    @Override
    public String type() {
      return "produced";
    }
  }

  /**
   * The alarm changed state (alarm actions run on this only).
   *
   * @param at when
   * @param alarm the alarm's name
   * @param from the state before
   * @param to the state after
   * @param reason CloudWatch-style reason text
   * @param threshold the alarm's threshold
   */
  record AlarmChanged(
      Instant at, String alarm, AlarmState from, AlarmState to, String reason, double threshold)
      implements PipelineEvent {
    /** Requires every field. */
    public AlarmChanged {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(alarm, "alarm");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String type() {
      return "alarm";
    }
  }

  /**
   * The topic delivered (or failed to deliver) a notification to one subscriber.
   *
   * @param at when
   * @param topic the topic's name
   * @param messageId the SNS message id
   * @param subscriber the subscriber (the function's name)
   * @param attempt 1 for the first delivery, more for retries
   * @param delivered whether this attempt succeeded
   * @param error the failure, empty when delivered
   */
  record NotificationDelivered(
      Instant at,
      String topic,
      String messageId,
      String subscriber,
      int attempt,
      boolean delivered,
      String error)
      implements PipelineEvent {
    /** Requires every field. */
    public NotificationDelivered {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(subscriber, "subscriber");
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String type() {
      return "notification";
    }
  }

  /**
   * The trigger decided (on a notification or a reconcile tick).
   *
   * @param at when
   * @param cause {@code notification} or {@code reconcile}
   * @param action what it did: {@code launched}, {@code ignored}, {@code malformed}, {@code
   *     duplicate}, {@code idle}
   * @param backlog visible + in flight when deciding
   * @param running tasks alive when deciding
   * @param desired fleet size wanted
   * @param started tasks started
   * @param failures reasons of tasks that could not start
   * @param note a human sentence (why it ignored, what it launched)
   */
  record TriggerDecided(
      Instant at,
      String cause,
      String action,
      long backlog,
      int running,
      int desired,
      int started,
      List<String> failures,
      String note)
      implements PipelineEvent {
    /** Requires every field; copies the list. */
    public TriggerDecided {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(note, "note");
      failures = List.copyOf(failures);
    }

    @Override
    public String type() {
      return "trigger";
    }
  }

  /**
   * A task changed state (launched, running, stopped).
   *
   * @param at when
   * @param task the task now
   * @param itemsWritten items it has written, when known (the worker reports it when it stops)
   */
  record TaskChanged(Instant at, TaskView task, long itemsWritten) implements PipelineEvent {
    /** Requires every field. */
    public TaskChanged {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(task, "task");
    }

    @Override
    public String type() {
      return "task";
    }
  }

  /**
   * A message for the event log (start, end, errors).
   *
   * @param at when
   * @param level {@code info}, {@code warn} or {@code error}
   * @param message the text
   */
  record Note(Instant at, String level, String message) implements PipelineEvent {
    /** Requires every field. */
    public Note {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
      return "note";
    }
  }

  /**
   * The run ended; the same figures as the terminal summary.
   *
   * @param at when
   * @param summary the figures
   */
  record RunFinished(Instant at, RunSummary summary) implements PipelineEvent {
    /** Requires every field. */
    public RunFinished {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(summary, "summary");
    }

    @Override
    public String type() {
      return "summary";
    }
  }

  /**
   * The end-of-run figures of {@code surge demo} (and of each burst of {@code surge up}). What
   * happened to each message is counted once, by one rule ({@link #unaccounted()}): written (its
   * item is in the table), dead-lettered, still in the queue, or removed by a purge of the queue;
   * whatever is none of these is unaccounted for. Items are not messages: the table's key is the
   * message body, so two messages with the same body are written as one item.
   *
   * @param produced messages the producer sent
   * @param inTable items in the table
   * @param written messages written: their item is in the table and the worker deleted them
   * @param inDeadLetterQueue messages in the dead-letter queue
   * @param leftInQueue messages still in the queue (visible or in flight) of a run stopped before
   *     its end; 0 for a run that drained it
   * @param purged messages removed from the queue by a {@code PurgeQueue} before any task received
   *     them ({@code surge purge}, {@code aws sqs purge-queue})
   * @param redelivered items whose message was received more than once
   * @param tasksLaunched tasks started in all
   * @param itemsPerHost items written per host
   * @param timeToAlarmMillis from the first message sent to the alarm entering ALARM (-1 if never)
   * @param alarmToFirstItemMillis from ALARM to the first item written (-1 if never)
   * @param drainMillis from the first message sent until the queue was empty and every task stopped
   * @param itemsPerSecond items written per second, first item to last; {@code NaN} when that is
   *     not measured ({@link #itemsPerSecond(long, Instant, Instant)})
   * @param requestsPerMessage API requests of the workers per message
   * @param writeRate items per second over the run, from the items' own write times
   * @param bill what the run would have cost on AWS ({@link AwsBill#UNKNOWN} when not known)
   */
  record RunSummary(
      long produced,
      long inTable,
      long written,
      long inDeadLetterQueue,
      long leftInQueue,
      long purged,
      long redelivered,
      int tasksLaunched,
      Map<String, Long> itemsPerHost,
      long timeToAlarmMillis,
      long alarmToFirstItemMillis,
      long drainMillis,
      double itemsPerSecond,
      double requestsPerMessage,
      WriteRate writeRate,
      AwsBill bill) {
    /**
     * The shortest span from the first item written to the last over which a rate is given: items
     * of one batch share their write time, so a shorter run's rate would be a count divided by next
     * to nothing (2 items 0.4 ms apart made 2,000 / 0 ms, printed as 922337203685477630.0 items/s).
     */
    public static final Duration MIN_RATE_SPAN = Duration.ofSeconds(1);

    /** Copies the map. */
    public RunSummary {
      itemsPerHost = Map.copyOf(itemsPerHost);
      Objects.requireNonNull(writeRate, "writeRate");
      Objects.requireNonNull(bill, "bill");
    }

    /** A summary of a run whose queue was not purged. */
    public RunSummary(
        long produced,
        long inTable,
        long written,
        long inDeadLetterQueue,
        long leftInQueue,
        long redelivered,
        int tasksLaunched,
        Map<String, Long> itemsPerHost,
        long timeToAlarmMillis,
        long alarmToFirstItemMillis,
        long drainMillis,
        double itemsPerSecond,
        double requestsPerMessage,
        WriteRate writeRate,
        AwsBill bill) {
      this(
          produced,
          inTable,
          written,
          inDeadLetterQueue,
          leftInQueue,
          0,
          redelivered,
          tasksLaunched,
          itemsPerHost,
          timeToAlarmMillis,
          alarmToFirstItemMillis,
          drainMillis,
          itemsPerSecond,
          requestsPerMessage,
          writeRate,
          bill);
    }

    /**
     * Messages sent that were neither written, nor dead-lettered, nor left in the queue, nor
     * purged: lost (must be 0). The one rule every view (the terminal, the page, status) shows.
     */
    public long unaccounted() {
      return accounting().unaccounted();
    }

    /** What happened to each message sent, by the rule of every run ({@link Accounting}). */
    public Accounting accounting() {
      return new Accounting(produced, written, inDeadLetterQueue, leftInQueue, purged);
    }

    /** Whether every message sent is accounted for. */
    public boolean success() {
      return unaccounted() == 0;
    }

    /**
     * Items written per second from the first item to the last, to a tenth; {@code NaN} (not
     * measured) for fewer than two items or a span under {@link #MIN_RATE_SPAN}.
     *
     * @param items items written
     * @param first when the first was written
     * @param last when the last was written
     */
    public static double itemsPerSecond(long items, Instant first, Instant last) {
      Duration span = Duration.between(first, last);
      if (items < 2 || span.compareTo(MIN_RATE_SPAN) < 0) {
        return Double.NaN;
      }
      return Math.round(items * 1e10 / span.toNanos()) / 10.0;
    }
  }
}
