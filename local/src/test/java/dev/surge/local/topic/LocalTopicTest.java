package dev.surge.local.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent.NotificationDelivered;
import dev.surge.local.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalTopicTest {
  private static final Instant NOW = Instant.parse("2026-11-27T21:51:07.123456Z");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  private final EventLog events = new EventLog(1000);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private LocalTopic topic(DeliveryPolicy policy) {
    return new LocalTopic(
        TopicConfig.local("fasttrack-saa", "us-east-1").withPolicy(policy),
        executor,
        clock,
        events);
  }

  private List<NotificationDelivered> deliveries() {
    return events.events().stream()
        .map(s -> s.event())
        .filter(NotificationDelivered.class::isInstance)
        .map(NotificationDelivered.class::cast)
        .toList();
  }

  @Test
  void theTopicArnIsMadeOfRegionLocalAccountAndName() {
    assertThat(topic(DeliveryPolicy.none()).arn())
        .isEqualTo("arn:aws:sns:us-east-1:000000000000:fasttrack-saa");
  }

  @Test
  void aSubscriberReceivesTheSnsEnvelopeOfThePublishedMessage() throws Exception {
    LocalTopic topic = topic(DeliveryPolicy.none());
    BlockingQueue<SnsEnvelope> got = new LinkedBlockingQueue<>();
    Subscription sub = topic.subscribe("fn", (s, e) -> got.add(e));

    String id = topic.publish("ALARM: \"backlog\" in US East (N. Virginia)", "{\"a\":1}");
    SnsEnvelope e = got.poll(5, TimeUnit.SECONDS);

    assertThat(e).isNotNull();
    assertThat(e.type()).isEqualTo("Notification");
    assertThat(e.messageId()).isEqualTo(id).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    assertThat(e.topicArn()).isEqualTo(topic.arn());
    assertThat(e.subject()).isEqualTo("ALARM: \"backlog\" in US East (N. Virginia)");
    assertThat(e.message()).isEqualTo("{\"a\":1}");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-27T21:51:07.123Z"));
    assertThat(e.timestampText()).isEqualTo("2026-11-27T21:51:07.123Z");
    assertThat(e.signatureVersion()).isEqualTo("1");
    assertThat(Base64.getDecoder().decode(e.signature())).hasSize(20);
    assertThat(e.signature()).isEqualTo(LocalTopic.digest(e));
    assertThat(e.signingCertUrl())
        .startsWith("https://sns.us-east-1.amazonaws.com/")
        .endsWith(".pem");
    assertThat(e.unsubscribeUrl())
        .isEqualTo(
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + sub.arn());
    assertThat(sub.arn()).matches(topic.arn() + ":[0-9a-f-]{36}");
    assertThat(e.messageAttributes()).isEmpty();
  }

  @Test
  void publishReturnsTheMessageIdBeforeTheDeliveryHappens() throws Exception {
    LocalTopic topic = topic(DeliveryPolicy.none());
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    topic.subscribe(
        "slow",
        (s, e) -> {
          if (!release.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
          delivered.add(e.messageId());
        });

    String id = topic.publish("s", "m");
    assertThat(delivered).isEmpty();
    assertThat(topic.pendingDeliveries()).isEqualTo(1);
    release.countDown();

    assertThat(delivered.poll(5, TimeUnit.SECONDS)).isEqualTo(id);
  }

  @Test
  void everySubscriberGetsTheMessageWithItsOwnSubscription() throws Exception {
    LocalTopic topic = topic(DeliveryPolicy.none());
    BlockingQueue<SnsEnvelope> one = new LinkedBlockingQueue<>();
    BlockingQueue<SnsEnvelope> two = new LinkedBlockingQueue<>();
    Subscription s1 = topic.subscribe("one", (s, e) -> one.add(e));
    Subscription s2 = topic.subscribe("two", (s, e) -> two.add(e));

    String id = topic.publish(null, "m");
    SnsEnvelope e1 = one.poll(5, TimeUnit.SECONDS);
    SnsEnvelope e2 = two.poll(5, TimeUnit.SECONDS);

    assertThat(e1.messageId()).isEqualTo(id);
    assertThat(e2.messageId()).isEqualTo(id);
    assertThat(e1.subject()).isNull();
    assertThat(e1.unsubscribeUrl()).endsWith(s1.arn());
    assertThat(e2.unsubscribeUrl()).endsWith(s2.arn());
    await().atMost(WAIT).until(() -> deliveries().size() == 2);
    assertThat(deliveries())
        .extracting(NotificationDelivered::subscriber)
        .containsExactlyInAnyOrder("one", "two");
    assertThat(deliveries()).allMatch(d -> d.delivered() && d.attempt() == 1);
  }

  @Test
  void aFailedDeliveryIsRetriedAndEachAttemptIsAnEvent() {
    LocalTopic topic = topic(DeliveryPolicy.snsAwsManaged());
    AtomicInteger calls = new AtomicInteger();
    topic.subscribe(
        "fn",
        (s, e) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("throttled");
          }
        });

    String id = topic.publish("s", "m");

    await().atMost(WAIT).until(() -> deliveries().size() == 2);
    List<NotificationDelivered> d = deliveries();
    assertThat(d).extracting(NotificationDelivered::attempt).containsExactly(1, 2);
    assertThat(d).extracting(NotificationDelivered::delivered).containsExactly(false, true);
    assertThat(d.get(0).error()).contains("IllegalStateException").contains("throttled");
    assertThat(d.get(1).error()).isEmpty();
    assertThat(d).allMatch(x -> x.messageId().equals(id) && x.topic().equals("fasttrack-saa"));
    assertThat(topic.pendingDeliveries()).isZero();
  }

  @Test
  void afterTheLastAttemptTheDeliveryIsGivenUpAndLoggedAtError() {
    // Every phase once: immediate, pre-backoff, backoff, post-backoff: 5 attempts in all.
    DeliveryPolicy policy =
        new DeliveryPolicy(1, 1, Duration.ofMillis(5), 1, Duration.ofMillis(10), 1);
    LocalTopic topic = topic(policy);
    topic.subscribe(
        "fn",
        (s, e) -> {
          throw new IllegalStateException("down");
        });

    try (LogCapture logs = new LogCapture(LocalTopic.class)) {
      String id = topic.publish("s", "m");

      await().atMost(WAIT).until(() -> topic.pendingDeliveries() == 0);
      assertThat(deliveries())
          .extracting(NotificationDelivered::attempt)
          .containsExactly(1, 2, 3, 4, 5);
      assertThat(deliveries()).noneMatch(NotificationDelivered::delivered);
      assertThat(logs.at(Level.WARN)).hasSize(4);
      assertThat(logs.at(Level.ERROR))
          .singleElement()
          .asString()
          .contains("giving up on message " + id)
          .contains("after 5 attempts")
          .contains("down");
    }
  }

  @Test
  void closingCancelsPendingRetriesAndLogsWhatWasNotDelivered() {
    LocalTopic topic =
        topic(new DeliveryPolicy(0, 1, Duration.ofHours(1), 0, Duration.ofHours(1), 0));
    topic.subscribe(
        "fn",
        (s, e) -> {
          throw new IllegalStateException("down");
        });
    try (LogCapture logs = new LogCapture(LocalTopic.class)) {
      topic.publish("s", "m");
      await().atMost(WAIT).until(() -> deliveries().size() == 1);

      long t0 = System.nanoTime();
      topic.close();

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(topic.pendingDeliveries()).isZero();
      assertThat(logs.at(Level.ERROR)).singleElement().asString().contains("closed");
      assertThatThrownBy(() -> topic.publish("s", "m")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void rejectsWhatSnsRejects() {
    LocalTopic topic = topic(DeliveryPolicy.none());
    assertThatThrownBy(() -> topic.publish("s", "")).hasMessageContaining("Empty message");
    assertThatThrownBy(() -> topic.publish("s", "x".repeat(256 * 1024 + 1)))
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> topic.publish("", "m")).hasMessageContaining("Subject");
    assertThatThrownBy(() -> topic.publish("x".repeat(101), "m")).hasMessageContaining("Subject");
    assertThatThrownBy(() -> topic.publish("two\nlines", "m")).hasMessageContaining("Subject");
    assertThat(topic.publish("x".repeat(100), "x".repeat(256 * 1024))).isNotBlank();
  }

  @Test
  void aSecondSubscriptionOfTheSameSubscriberIsTheFirstAndAttributesReachTheEnvelope()
      throws Exception {
    LocalTopic topic = topic(DeliveryPolicy.none());
    BlockingQueue<SnsEnvelope> got = new LinkedBlockingQueue<>();
    Subscription first = topic.subscribeOnce("fn", (s, e) -> got.add(e));
    assertThat(topic.subscribeOnce("fn", (s, e) -> got.add(e))).isEqualTo(first);
    assertThat(topic.subscriptions()).containsExactly(first);

    topic.publish(null, "hello", java.util.Map.of("k", new SnsEnvelope.Attribute("String", "v")));

    SnsEnvelope e = got.poll(5, TimeUnit.SECONDS);
    assertThat(e).isNotNull();
    assertThat(e.messageAttributes()).containsEntry("k", new SnsEnvelope.Attribute("String", "v"));
    assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void theTopicsOfALocalCloudAreTheChainsAndThoseMadeOnceByName() {
    LocalTopic chain = topic(DeliveryPolicy.none());
    try (LocalTopics topics =
        new LocalTopics(
            chain,
            name ->
                new LocalTopic(TopicConfig.local(name, "us-east-1"), executor, clock, events))) {
      LocalTopic made = topics.create("other");
      assertThat(topics.create("other")).isSameAs(made);
      assertThat(topics.create("fasttrack-saa")).isSameAs(chain);
      assertThat(topics.all()).containsExactly(chain, made);
      assertThat(topics.byArn("arn:aws:sns:us-east-1:000000000000:other")).containsSame(made);
      assertThat(topics.byArn("arn:aws:sns:us-east-1:000000000000:none")).isEmpty();
      assertThatThrownBy(() -> topics.create("not valid"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
