package dev.surge.local.function;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.cost.RunUsage;
import dev.surge.local.logs.LogLine;
import dev.surge.local.topic.DeliveryPolicy;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
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
 * around each invocation, what the handler logs through its context's logger, and the error of an
 * invocation that threw (the last {@value #LOG_KEPT} lines).
 *
 * <p>{@link #invoke(String)} is Lambda's {@code Invoke}: its JSON payload becomes the handler's
 * event through the Lambda Java runtime's own event deserializer, and its answer is the handler's
 * result as JSON, or the error object the Java runtime reports.
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
  private final AtomicLong requested = new AtomicLong();
  private final java.util.concurrent.atomic.DoubleAdder gbSeconds =
      new java.util.concurrent.atomic.DoubleAdder();
  // Guarded by itself: the log stream's last lines.
  private final Deque<LogLine> logLines = new ArrayDeque<>();
  // Guarded by logLines: the lines of the invocation in progress, when they are wanted.
  private List<String> capturing;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PojoSerializer<SNSEvent> EVENTS =
      LambdaEventSerializers.serializerFor(SNSEvent.class, LocalFunction.class.getClassLoader());

  /**
   * What one {@link #invoke(String)} gave.
   *
   * @param requestId the invocation's request id, as its log lines name it
   * @param payload the handler's result as JSON, or the error object when it threw
   * @param failed whether the handler threw (Lambda's {@code X-Amz-Function-Error: Unhandled})
   * @param log the invocation's lines of the log stream, {@code START} to {@code REPORT}
   */
  public record Invocation(String requestId, String payload, boolean failed, List<String> log) {
    /** Copies the log. */
    public Invocation {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(payload, "payload");
      log = List.copyOf(log);
    }
  }

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
      if (capturing != null) {
        capturing.add(line);
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

  /**
   * Invocations by {@link #invoke(String)}, Lambda's {@code Invoke} (a part of {@link
   * #invocations()}).
   */
  public long requestedInvocations() {
    return requested.get();
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
    return run(() -> event, UUID.randomUUID().toString(), null);
  }

  /**
   * Invokes the handler with the event {@code payload} is, as Lambda's {@code Invoke} does (its
   * request type {@code RequestResponse}), after any invocation in progress. The payload is read by
   * the Lambda Java runtime's own event deserializer, inside the invocation: a payload that is not
   * the handler's event makes the invocation fail, as in Lambda.
   *
   * @param payload a JSON document; an empty one is {@code {}}
   * @return the result or the error, and the invocation's log lines
   */
  public Invocation invoke(String payload) {
    requested.incrementAndGet();
    String json = payload == null || payload.isBlank() ? "{}" : payload;
    String requestId = UUID.randomUUID().toString();
    List<String> lines = new ArrayList<>();
    try {
      Object result = run(() -> EVENTS.fromJson(json), requestId, lines);
      return new Invocation(requestId, JSON.writeValueAsString(result), false, lines);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // Lambda reports any throwable of a handler as a function error.
      return new Invocation(requestId, errorObject(e).toString(), true, lines);
    }
  }

  /**
   * Invokes the handler with {@code payload} on {@code executor}, as Lambda's asynchronous {@code
   * Invoke} (request type {@code Event}): an invocation that fails is tried again after the delays
   * of {@code retries} (Lambda's: twice, after 1 and 2 minutes), then given up and logged.
   *
   * @throws RejectedExecutionException when {@code executor} takes no more work
   */
  public void invokeLater(
      String payload, ScheduledExecutorService executor, DeliveryPolicy retries) {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(retries, "retries");
    attemptLater(payload, executor, retries, 1, 0);
  }

  private void attemptLater(
      String payload,
      ScheduledExecutorService executor,
      DeliveryPolicy retries,
      int attempt,
      long delayMillis) {
    executor.schedule(
        () -> {
          Invocation i = invoke(payload);
          if (!i.failed()) {
            return;
          }
          Optional<java.time.Duration> next = retries.delayAfter(attempt);
          if (next.isEmpty()) {
            log.error(
                "asynchronous invocation {} failed (attempt {}), given up: {}",
                i.requestId(),
                attempt,
                i.payload());
            return;
          }
          log.warn(
              "asynchronous invocation {} failed (attempt {}), retrying in {} ms: {}",
              i.requestId(),
              attempt,
              next.get().toMillis(),
              i.payload());
          try {
            attemptLater(payload, executor, retries, attempt + 1, next.get().toMillis());
          } catch (RejectedExecutionException e) {
            log.error("asynchronous invocation not retried: the local cloud is stopping");
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The error object Lambda's Java runtime answers for a handler that threw {@code e}: its message,
   * type and stack trace, and its cause likewise.
   */
  static ObjectNode errorObject(Throwable e) {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", e.getMessage() == null ? e.toString() : e.getMessage());
    error.put("errorType", e.getClass().getName());
    ArrayNode trace = error.putArray("stackTrace");
    for (StackTraceElement frame : e.getStackTrace()) {
      trace.add(frame.toString());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      error.set("cause", errorObject(cause));
    }
    return error;
  }

  private Object run(Supplier<SNSEvent> event, String requestId, List<String> lines) {
    oneAtATime.lock();
    try {
      invocations.incrementAndGet();
      synchronized (logLines) {
        capturing = lines;
      }
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
        Object result = handler.handleRequest(event.get(), context);
        status = "success";
        return result;
      } catch (RuntimeException | Error e) {
        // As Lambda's Java runtime, the error goes to the log stream too.
        record(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        throw e;
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
      synchronized (logLines) {
        capturing = null;
      }
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
