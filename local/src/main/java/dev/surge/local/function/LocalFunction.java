package dev.surge.local.function;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.cost.RunUsage;
import dev.surge.local.logs.LogLine;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.SnsEnvelope;
import dev.surge.local.topic.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lambda function in this process, subscribed to a {@link LocalTopic}: each notification becomes
 * a real {@link SNSEvent} (the shape Lambda's Java runtime builds from SNS's JSON) passed to the
 * handler with a {@link com.amazonaws.services.lambda.runtime.Context}. {@link #invokeScheduled()}
 * invokes it with the schedule's constant event, {@code {"Records":[]}}.
 *
 * <p>Invocations run one at a time, as for a function with reserved concurrency 1. The trigger
 * reads the fleet and then starts tasks; two decisions at once could both see zero running tasks
 * and both start a full fleet. A handler's exception propagates to the caller: to the topic, which
 * then retries the delivery, or to the reconciler.
 *
 * <p>Its log stream holds what Lambda's would: {@code START}, {@code END} and {@code REPORT} lines
 * around each invocation and what the handler logs through its context's logger (the last {@value
 * #LOG_KEPT} lines).
 */
public final class LocalFunction implements LocalTopic.Subscriber {
  private static final DateTimeFormatter STREAM_DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final FunctionConfig config;
  private final RequestHandler<SNSEvent, ?> handler;
  private final Clock clock;
  private final Logger log;
  private final Slf4jLambdaLogger lambdaLogger;
  private final String logStream;
  // Fair, so invocations run in the order they arrived, as from a queue.
  private final ReentrantLock oneAtATime = new ReentrantLock(true);
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong();
  private final java.util.concurrent.atomic.DoubleAdder gbSeconds =
      new java.util.concurrent.atomic.DoubleAdder();
  // Guarded by itself: the log stream's last lines.
  private final Deque<LogLine> logLines = new ArrayDeque<>();

  /** Lines of its log stream kept, the newest. */
  static final int LOG_KEPT = 10_000;

  /**
   * A function running {@code handler}, configured by {@code config}, timing invocations with
   * {@code clock}.
   */
  public LocalFunction(FunctionConfig config, RequestHandler<SNSEvent, ?> handler, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = LoggerFactory.getLogger(LocalFunction.class.getName() + "." + config.name());
    this.lambdaLogger = new Slf4jLambdaLogger(log, this::record);
    this.logStream =
        STREAM_DATE.format(LocalDate.now(clock))
            + "/[$LATEST]"
            + UUID.randomUUID().toString().replace("-", "");
  }

  /** The function's configuration. */
  public FunctionConfig config() {
    return config;
  }

  /** Its log stream's name, as Lambda names one: {@code yyyy/MM/dd/[$LATEST]<id>}. */
  public String logStream() {
    return logStream;
  }

  /** The lines of its log stream, oldest first (the last {@value #LOG_KEPT}). */
  public List<LogLine> log() {
    synchronized (logLines) {
      return List.copyOf(logLines);
    }
  }

  private void record(String line) {
    LogLine l = new LogLine(clock.instant(), line);
    synchronized (logLines) {
      logLines.addLast(l);
      if (logLines.size() > LOG_KEPT) {
        logLines.removeFirst();
      }
    }
  }

  /** Invocations started so far. */
  public long invocations() {
    return invocations.get();
  }

  /**
   * The invocations' duration as Lambda bills it: each rounded up to the millisecond, times the
   * function's memory, in GB-seconds.
   */
  public double billedGbSeconds() {
    return gbSeconds.sum();
  }

  /**
   * Invokes the handler with the SNS event for {@code envelope}, as SNS invokes a subscribed
   * function.
   *
   * @throws RuntimeException whatever the handler threw
   */
  @Override
  public void deliver(Subscription subscription, SnsEnvelope envelope) {
    invoke(snsEvent(subscription, envelope));
  }

  /**
   * Invokes the handler with an event without records, as the EventBridge schedule does with its
   * constant input {@code {"Records":[]}}.
   *
   * @return what the handler returned
   * @throws RuntimeException whatever the handler threw
   */
  public Object invokeScheduled() {
    scheduled.incrementAndGet();
    return invoke(scheduledEvent());
  }

  /** Invocations by the schedule (a part of {@link #invocations()}). */
  public long scheduledInvocations() {
    return scheduled.get();
  }

  /**
   * Invokes the handler with {@code event}, after any invocation in progress.
   *
   * @return what the handler returned
   * @throws RuntimeException whatever the handler threw
   */
  public Object invoke(SNSEvent event) {
    Objects.requireNonNull(event, "event");
    oneAtATime.lock();
    try {
      invocations.incrementAndGet();
      String requestId = UUID.randomUUID().toString();
      long t0 = System.nanoTime();
      LocalContext context =
          new LocalContext(
              requestId,
              config,
              logStream,
              clock.instant().plus(config.timeout()),
              clock,
              lambdaLogger,
              this::record);
      log.debug("START RequestId: {} Version: $LATEST", requestId);
      record("START RequestId: " + requestId + " Version: $LATEST");
      String status = "error";
      try {
        Object result = handler.handleRequest(event, context);
        status = "success";
        return result;
      } finally {
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        gbSeconds.add(RunUsage.lambdaGbSeconds(took, config.memoryMb()));
        record("END RequestId: " + requestId);
        record(
            String.format(
                java.util.Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d"
                    + " MB",
                requestId,
                took.toNanos() / 1e6,
                Math.max(1, (took.toNanos() + 999_999) / 1_000_000),
                config.memoryMb()));
        log.debug(
            "REPORT RequestId: {} Duration: {} ms Memory Size: {} MB Status: {}",
            requestId,
            took.toMillis(),
            config.memoryMb(),
            status);
        if (took.compareTo(config.timeout()) > 0) {
          log.warn(
              "invocation {} took {} ms, longer than the function's {} s timeout; Lambda would"
                  + " have stopped it",
              requestId,
              took.toMillis(),
              config.timeout().toSeconds());
        }
      }
    } finally {
      oneAtATime.unlock();
    }
  }

  /**
   * The event Lambda's runtime builds for one SNS notification: one record, {@code EventSource}
   * {@code aws:sns}, {@code EventVersion} {@code 1.0}, the subscription's ARN, and every field of
   * the envelope.
   */
  public static SNSEvent snsEvent(Subscription subscription, SnsEnvelope envelope) {
    Map<String, SNSEvent.MessageAttribute> attributes =
        envelope.messageAttributes().entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    a ->
                        new SNSEvent.MessageAttribute()
                            .withType(a.getValue().type())
                            .withValue(a.getValue().value())));
    SNSEvent.SNS sns =
        new SNSEvent.SNS()
            .withType(envelope.type())
            .withMessageId(envelope.messageId())
            .withTopicArn(envelope.topicArn())
            .withSubject(envelope.subject())
            .withMessage(envelope.message())
            .withTimestamp(new DateTime(envelope.timestamp().toEpochMilli(), DateTimeZone.UTC))
            .withSignatureVersion(envelope.signatureVersion())
            .withSignature(envelope.signature())
            .withSigningCertUrl(envelope.signingCertUrl())
            .withUnsubscribeUrl(envelope.unsubscribeUrl())
            .withMessageAttributes(attributes);
    SNSEvent.SNSRecord record =
        new SNSEvent.SNSRecord()
            .withEventSource("aws:sns")
            .withEventVersion("1.0")
            .withEventSubscriptionArn(subscription.arn())
            .withSns(sns);
    List<SNSEvent.SNSRecord> records = new ArrayList<>();
    records.add(record);
    return new SNSEvent().withRecords(records);
  }

  /** What Lambda's runtime makes of {@code {"Records":[]}}: an event with an empty record list. */
  public static SNSEvent scheduledEvent() {
    return new SNSEvent().withRecords(new ArrayList<>());
  }
}
