package dev.surge.local.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.surge.core.MutableClock;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent.NotificationDelivered;
import dev.surge.local.LogCapture;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.SnsEnvelope;
import dev.surge.local.topic.Subscription;
import dev.surge.local.topic.TopicConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {
  private static final PojoSerializer<SNSEvent> RUNTIME =
      LambdaEventSerializers.serializerFor(
          SNSEvent.class, LocalFunctionTest.class.getClassLoader());

  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:fasttrack-saa";
  private static final Subscription SUBSCRIPTION =
      new Subscription("fasttrack-saa", TOPIC + ":6f0c3a8e-1f2b-4c6d-9e8f-0a1b2c3d4e5f");
  private static final SnsEnvelope ENVELOPE =
      new SnsEnvelope(
          "Notification",
          "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
          TOPIC,
          "ALARM: \"fasttrack-saa-backlog\" in US East (N. Virginia)",
          "{\"AlarmName\":\"fasttrack-saa-backlog\",\"NewStateValue\":\"ALARM\"}",
          Instant.parse("2026-11-27T21:51:07.123Z"),
          "1",
          "c2lnbmF0dXJl",
          "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-local.pem",
          "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
              + SUBSCRIPTION.arn(),
          Map.of());

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T21:51:08Z"));

  /** A handler that keeps what it was given. */
  private static final class Recorder implements RequestHandler<SNSEvent, String> {
    final BlockingQueue<SNSEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Context> contexts = new LinkedBlockingQueue<>();

    @Override
    public String handleRequest(SNSEvent event, Context context) {
      events.add(event);
      contexts.add(context);
      return "ok";
    }
  }

  private LocalFunction function(RequestHandler<SNSEvent, ?> handler) {
    return new LocalFunction(FunctionConfig.local("fasttrack-saa", "us-east-1"), handler, clock);
  }

  @Test
  void anEnvelopeBecomesAnSnsEventWithOneRecordCarryingEveryField() {
    Recorder handler = new Recorder();
    function(handler).deliver(SUBSCRIPTION, ENVELOPE);

    SNSEvent event = handler.events.poll();
    assertThat(event.getRecords()).hasSize(1);
    SNSEvent.SNSRecord r = event.getRecords().get(0);
    assertThat(r.getEventSource()).isEqualTo("aws:sns");
    assertThat(r.getEventVersion()).isEqualTo("1.0");
    assertThat(r.getEventSubscriptionArn()).isEqualTo(SUBSCRIPTION.arn()).startsWith(TOPIC + ":");
    SNSEvent.SNS sns = r.getSNS();
    assertThat(sns.getMessageId()).isEqualTo(ENVELOPE.messageId());
    assertThat(sns.getMessage()).isEqualTo(ENVELOPE.message());
    assertThat(sns.getSubject()).isEqualTo(ENVELOPE.subject());
    assertThat(sns.getTopicArn()).isEqualTo(TOPIC);
    assertThat(sns.getTimestamp().getMillis()).isEqualTo(ENVELOPE.timestamp().toEpochMilli());
    assertThat(sns.getType()).isEqualTo("Notification");
    assertThat(sns.getSignatureVersion()).isEqualTo("1");
    assertThat(sns.getSignature()).isEqualTo(ENVELOPE.signature());
    assertThat(sns.getSigningCertUrl()).isEqualTo(ENVELOPE.signingCertUrl());
    assertThat(sns.getUnsubscribeUrl()).isEqualTo(ENVELOPE.unsubscribeUrl());
    assertThat(sns.getMessageAttributes()).isEmpty();
  }

  @Test
  void theEventEqualsWhatTheLambdaRuntimeDeserializesFromSnsJson() throws IOException {
    SNSEvent fromJson;
    try (InputStream in = getClass().getResourceAsStream("/events/sns-notification.json")) {
      fromJson = RUNTIME.fromJson(in);
    }
    assertThat(LocalFunction.snsEvent(SUBSCRIPTION, ENVELOPE)).isEqualTo(fromJson);
  }

  @Test
  void aScheduledInvocationHasNoRecordsLikeTheRuntimesReadingOfTheScheduleInput() {
    Recorder handler = new Recorder();
    assertThat(function(handler).invokeScheduled()).isEqualTo("ok");

    SNSEvent event = handler.events.poll();
    assertThat(event.getRecords()).isNotNull().isEmpty();
    assertThat(event).isEqualTo(RUNTIME.fromJson("{\"Records\":[]}"));
  }

  @Test
  void theContextDescribesTheFunctionAndCountsDownItsTimeout() {
    Recorder handler = new Recorder();
    RequestHandler<SNSEvent, String> slow =
        (event, context) -> {
          clock.advance(Duration.ofSeconds(5));
          return handler.handleRequest(event, context);
        };
    function(slow).invokeScheduled();

    Context c = handler.contexts.poll();
    assertThat(c.getFunctionName()).isEqualTo("fasttrack-saa");
    assertThat(c.getInvokedFunctionArn())
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:fasttrack-saa");
    assertThat(c.getFunctionVersion()).isEqualTo("$LATEST");
    assertThat(c.getAwsRequestId()).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    assertThat(c.getMemoryLimitInMB()).isEqualTo(128);
    assertThat(c.getLogGroupName()).isEqualTo("/aws/lambda/fasttrack-saa");
    assertThat(c.getLogStreamName()).matches("2026/11/27/\\[\\$LATEST\\][0-9a-f]{32}");
    assertThat(c.getRemainingTimeInMillis()).isEqualTo(15_000);
  }

  @Test
  void theLambdaLoggerWritesToSlf4j() {
    RequestHandler<SNSEvent, String> chatty =
        (event, context) -> {
          context.getLogger().log("deciding\n");
          return "ok";
        };
    try (LogCapture logs = new LogCapture(LocalFunction.class.getName() + ".fasttrack-saa")) {
      function(chatty).invokeScheduled();
      assertThat(logs.at(Level.INFO)).containsExactly("deciding");
    }
  }

  @Test
  void aHandlersExceptionReachesTheCaller() {
    IllegalStateException boom = new IllegalStateException("boom");
    LocalFunction f =
        function(
            (event, context) -> {
              throw boom;
            });
    assertThatThrownBy(() -> f.deliver(SUBSCRIPTION, ENVELOPE)).isSameAs(boom);
    assertThatThrownBy(f::invokeScheduled).isSameAs(boom);
  }

  @Test
  void aFailedInvocationIsRetriedByTheTopic() {
    AtomicInteger calls = new AtomicInteger();
    LocalFunction f =
        function(
            (event, context) -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("ECS unavailable");
              }
              return "ok";
            });
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    EventLog events = new EventLog(100);
    try (LocalTopic topic =
        new LocalTopic(TopicConfig.local("fasttrack-saa", "us-east-1"), executor, clock, events)) {
      topic.subscribe(f.config().name(), f);
      topic.publish("ALARM", "{}");
      await().atMost(Duration.ofSeconds(5)).until(() -> topic.pendingDeliveries() == 0);
    } finally {
      executor.shutdownNow();
    }
    List<NotificationDelivered> attempts =
        events.events().stream().map(s -> (NotificationDelivered) s.event()).toList();
    assertThat(attempts).extracting(NotificationDelivered::delivered).containsExactly(false, true);
    assertThat(attempts.get(0).error()).contains("ECS unavailable");
    assertThat(f.invocations()).isEqualTo(2);
  }

  @Test
  void invocationsRunOneAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    LocalFunction f =
        function(
            (event, context) -> {
              most.accumulateAndGet(inside.incrementAndGet(), Math::max);
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              inside.decrementAndGet();
              return "ok";
            });
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(f::invokeScheduled, "caller-" + i);
      callers.add(t);
      t.start();
    }
    // Every caller is parked: one in the handler, the others waiting for their turn.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                callers.stream()
                    .allMatch(
                        t ->
                            t.getState() == Thread.State.WAITING
                                || t.getState() == Thread.State.TIMED_WAITING));
    assertThat(inside.get()).isEqualTo(1);
    release.countDown();
    for (Thread t : callers) {
      t.join(5000);
    }
    assertThat(most.get()).isEqualTo(1);
    assertThat(f.invocations()).isEqualTo(3);
  }

  @Test
  void invokeReadsThePayloadAsTheLambdaRuntimeAndAnswersTheResultAsJson() {
    Recorder handler = new Recorder();
    LocalFunction f = function(handler);

    LocalFunction.Invocation i = f.invoke("{\"Records\":[]}");

    assertThat(i.failed()).isFalse();
    assertThat(i.payload()).isEqualTo("\"ok\"");
    assertThat(handler.events.poll()).isEqualTo(RUNTIME.fromJson("{\"Records\":[]}"));
    assertThat(handler.contexts.poll().getAwsRequestId()).isEqualTo(i.requestId());
    assertThat(i.log())
        .first()
        .isEqualTo("START RequestId: " + i.requestId() + " Version: $LATEST");
    assertThat(i.log()).last().asString().startsWith("REPORT RequestId: " + i.requestId());
    assertThat(f.invocations()).isEqualTo(1);
    // An empty payload is {}, an event without records.
    assertThat(f.invoke("").failed()).isFalse();
    assertThat(handler.events.poll().getRecords()).isNull();
  }

  @Test
  void aThrowingHandlerIsAnUnhandledErrorWithTheJavaRuntimesErrorObjectAndLogLine()
      throws Exception {
    LocalFunction f =
        function(
            (event, context) -> {
              context.getLogger().log("about to fail");
              throw new IllegalStateException("ECS unavailable", new RuntimeException("cause"));
            });

    LocalFunction.Invocation i = f.invoke("{}");

    assertThat(i.failed()).isTrue();
    var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(i.payload());
    assertThat(error.get("errorMessage").asText()).isEqualTo("ECS unavailable");
    assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.get("stackTrace").get(0).asText()).contains("LocalFunctionTest");
    assertThat(error.at("/cause/errorMessage").asText()).isEqualTo("cause");
    assertThat(i.log())
        .contains("about to fail", "java.lang.IllegalStateException: ECS unavailable")
        .anyMatch(l -> l.startsWith("END RequestId: " + i.requestId()));
    assertThat(f.log()).extracting(l -> l.message()).containsAll(i.log());
    // A payload that is not the handler's event fails the same way, as an invocation.
    LocalFunction.Invocation bad = function(new Recorder()).invoke("{\"Records\":\"none\"}");
    assertThat(bad.failed()).isTrue();
    assertThat(bad.log()).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void anAsynchronousInvocationThatFailsIsRetriedByThePolicy() {
    AtomicInteger calls = new AtomicInteger();
    LocalFunction f =
        function(
            (event, context) -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
              }
              return "ok";
            });
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try {
      f.invokeLater(
          "{}",
          executor,
          dev.surge.local.topic.DeliveryPolicy.lambdaAsyncFunctionErrors().scaled(0.0001));
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);
    } finally {
      executor.shutdownNow();
    }
    assertThat(f.invocations()).isEqualTo(3);
  }
}
