package dev.surge.local.topic;

import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.Topic;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SNS standard topic in this process. {@link #publish} returns the message id at once; each
 * subscriber then gets its own {@link SnsEnvelope} on the injected executor. A delivery whose
 * subscriber throws is retried following the topic's {@link DeliveryPolicy} (SNS's policy for
 * AWS-managed endpoints by default); every attempt is published as a {@link
 * PipelineEvent.NotificationDelivered} and logged, and a delivery given up is logged at ERROR,
 * never dropped silently. Thread-safe.
 */
public final class LocalTopic implements Topic, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalTopic.class);

  /** How long {@link #close()} waits for deliveries that are running. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** SNS's limit on a message: 256 KiB of UTF-8. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;

  /** SNS's limit on a subject. */
  static final int MAX_SUBJECT_LENGTH = 100;

  /** Receives the notifications of a topic. */
  @FunctionalInterface
  public interface Subscriber {
    /**
     * Handles one notification; throwing means the delivery failed and will be retried.
     *
     * @param subscription the subscription being delivered to
     * @param envelope the notification
     */
    void deliver(Subscription subscription, SnsEnvelope envelope) throws Exception;
  }

  private final java.util.concurrent.atomic.AtomicLong published =
      new java.util.concurrent.atomic.AtomicLong();
  private final TopicConfig config;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final EventLog events;
  private final List<Entry> subscriptions = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  // Guarded by lock: deliveries not finished yet, and whether the topic is closed.
  private final List<Delivery> pending = new ArrayList<>();
  private boolean closed;

  /**
   * A topic delivering on {@code executor} (owned by the caller, who shuts it down after {@link
   * #close()}), stamping messages and events with {@code clock}, publishing attempts to {@code
   * events}.
   */
  public LocalTopic(
      TopicConfig config, ScheduledExecutorService executor, Clock clock, EventLog events) {
    this.config = Objects.requireNonNull(config, "config");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** The topic's name. */
  public String name() {
    return config.name();
  }

  /** The topic's ARN, {@code arn:aws:sns:<region>:<account>:<name>}. */
  public String arn() {
    return config.arn();
  }

  /**
   * Subscribes {@code subscriber} under {@code name}; it receives every message published from now
   * on.
   *
   * @return the subscription, with an ARN formed as SNS forms it
   */
  public Subscription subscribe(String name, Subscriber subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Subscription s = new Subscription(name, arn() + ":" + UUID.randomUUID());
    synchronized (lock) {
      subscriptions.add(new Entry(s, subscriber));
    }
    log.debug("{} subscribed to {} as {}", name, arn(), s.arn());
    return s;
  }

  /**
   * The subscription of {@code name}, made as {@link #subscribe} makes it unless there is one
   * already: as SNS answers a second {@code Subscribe} of the same endpoint with the subscription
   * it has.
   *
   * @return the subscription, new or not
   */
  public Subscription subscribeOnce(String name, Subscriber subscriber) {
    synchronized (lock) {
      for (Entry e : subscriptions) {
        if (e.subscription().name().equals(name)) {
          return e.subscription();
        }
      }
      return subscribe(name, subscriber);
    }
  }

  /**
   * Publishes {@code message}; delivery to each subscriber happens afterwards, asynchronously.
   *
   * @param subject the subject, or {@code null} for none; at most 100 printable ASCII characters
   * @param message the body; not empty, at most 256 KiB of UTF-8
   * @return the message id (a UUID)
   * @throws IllegalArgumentException when SNS would reject the subject or message
   * @throws IllegalStateException when the topic is closed
   */
  @Override
  public String publish(String subject, String message) {
    return publish(subject, message, Map.of());
  }

  /**
   * Publishes {@code message} with {@code attributes}, which each subscriber's envelope carries; as
   * {@link #publish(String, String)} otherwise.
   */
  public String publish(
      String subject, String message, Map<String, SnsEnvelope.Attribute> attributes) {
    validate(subject, message);
    Objects.requireNonNull(attributes, "attributes");
    published.incrementAndGet();
    String messageId = UUID.randomUUID().toString();
    Instant timestamp = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<Delivery> created = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("topic " + name() + " is closed");
      }
      for (Entry e : subscriptions) {
        Delivery d =
            new Delivery(
                e, envelope(e.subscription(), messageId, subject, message, timestamp, attributes));
        pending.add(d);
        created.add(d);
      }
    }
    log.debug("published {} to {} ({} subscriptions)", messageId, name(), created.size());
    created.forEach(d -> schedule(d, Duration.ZERO));
    return messageId;
  }

  /** Its subscriptions, oldest first. */
  public List<Subscription> subscriptions() {
    return subscriptions.stream().map(Entry::subscription).toList();
  }

  /** Its name, region, account and delivery policy. */
  public TopicConfig config() {
    return config;
  }

  /** Messages published so far (what SNS bills; its deliveries to Lambda are free). */
  public long published() {
    return published.get();
  }

  /** Deliveries published but not yet delivered or given up. */
  public int pendingDeliveries() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /**
   * Stops delivering: no more publishing, no more retries. Deliveries that are running get {@link
   * #CLOSE_WAIT} to finish; every delivery not made is logged at ERROR.
   */
  @Override
  public void close() {
    List<Delivery> waiting;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      waiting = List.copyOf(pending);
    }
    for (Delivery d : waiting) {
      Future<?> f = d.future;
      if (f != null && f.cancel(false)) {
        abandon(d, "the topic was closed before attempt " + (d.attempts + 1));
      }
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    synchronized (lock) {
      long left;
      while (!pending.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      for (Delivery d : pending) {
        log.error(
            "topic {} closed while delivering message {} to {} (attempt {}); it may not have"
                + " been delivered",
            name(),
            d.envelope.messageId(),
            d.entry.subscription().name(),
            d.attempts);
      }
    }
  }

  // Under the lock, so that close() either sees the scheduled attempt and cancels it, or this sees
  // the topic closed.
  private void schedule(Delivery d, Duration delay) {
    synchronized (lock) {
      if (closed) {
        abandon(d, "the topic was closed before attempt " + (d.attempts + 1));
        return;
      }
      try {
        d.future = executor.schedule(() -> attempt(d), delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        abandon(d, "the delivery executor refused it (" + e.getMessage() + ")");
      }
    }
  }

  private void attempt(Delivery d) {
    synchronized (lock) {
      if (closed) {
        // It started as close() began, too late to be cancelled.
        abandon(d, "the topic was closed before attempt " + (d.attempts + 1));
        return;
      }
    }
    int attempt = ++d.attempts;
    String subscriber = d.entry.subscription().name();
    String messageId = d.envelope.messageId();
    try {
      d.entry.subscriber().deliver(d.entry.subscription(), d.envelope);
      publishAttempt(d, true, "");
      log.info("delivered message {} to {} (attempt {})", messageId, subscriber, attempt);
      finish(d);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // Lambda reports any throwable of a handler as a function error.
      String error = describe(e);
      publishAttempt(d, false, error);
      Optional<Duration> next = config.policy().delayAfter(attempt);
      boolean stopping;
      synchronized (lock) {
        stopping = closed;
      }
      if (next.isEmpty() || stopping) {
        log.error(
            "giving up on message {} to {} after {} attempts{}: {}",
            messageId,
            subscriber,
            attempt,
            stopping ? " (topic closed)" : "",
            error,
            e);
        finish(d);
      } else {
        log.warn(
            "delivery of message {} to {} failed (attempt {}), retrying in {} ms: {}",
            messageId,
            subscriber,
            attempt,
            next.get().toMillis(),
            error);
        schedule(d, next.get());
      }
    }
  }

  private void publishAttempt(Delivery d, boolean delivered, String error) {
    events.publish(
        new PipelineEvent.NotificationDelivered(
            clock.instant(),
            name(),
            d.envelope.messageId(),
            d.entry.subscription().name(),
            d.attempts,
            delivered,
            error));
  }

  private void abandon(Delivery d, String why) {
    log.error(
        "message {} not delivered to {} after {} attempts: {}",
        d.envelope.messageId(),
        d.entry.subscription().name(),
        d.attempts,
        why);
    finish(d);
  }

  private void finish(Delivery d) {
    synchronized (lock) {
      pending.remove(d);
      lock.notifyAll();
    }
  }

  private SnsEnvelope envelope(
      Subscription s,
      String messageId,
      String subject,
      String message,
      Instant timestamp,
      Map<String, SnsEnvelope.Attribute> attributes) {
    String sns = "https://sns." + config.region() + ".amazonaws.com/";
    SnsEnvelope unsigned =
        new SnsEnvelope(
            SnsEnvelope.NOTIFICATION,
            messageId,
            arn(),
            subject,
            message,
            timestamp,
            "1",
            "",
            sns + "SimpleNotificationService-local.pem",
            sns + "?Action=Unsubscribe&SubscriptionArn=" + s.arn(),
            attributes);
    return unsigned.withSignature(digest(unsigned));
  }

  // SNS signs "Message, MessageId, Subject (if any), Timestamp, TopicArn, Type", each name and
  // value on its own line; without a key the digest of that text is the most honest stand-in.
  static String digest(SnsEnvelope e) {
    StringBuilder text = new StringBuilder();
    text.append("Message\n").append(e.message()).append('\n');
    text.append("MessageId\n").append(e.messageId()).append('\n');
    if (e.subject() != null) {
      text.append("Subject\n").append(e.subject()).append('\n');
    }
    text.append("Timestamp\n").append(e.timestampText()).append('\n');
    text.append("TopicArn\n").append(e.topicArn()).append('\n');
    text.append("Type\n").append(e.type()).append('\n');
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every Java platform has SHA-1", ex);
    }
  }

  static void validate(String subject, String message) {
    Objects.requireNonNull(message, "message");
    if (message.isEmpty()) {
      throw new IllegalArgumentException("Invalid parameter: Empty message");
    }
    if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "Invalid parameter: Message too long (more than " + MAX_MESSAGE_BYTES + " bytes)");
    }
    if (subject == null) {
      return;
    }
    if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
      throw new IllegalArgumentException(
          "Invalid parameter: Subject must be 1-" + MAX_SUBJECT_LENGTH + " characters");
    }
    for (int i = 0; i < subject.length(); i++) {
      char c = subject.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "Invalid parameter: Subject must be printable ASCII without line breaks");
      }
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getName() : e.getClass().getName() + ": " + m;
  }

  private record Entry(Subscription subscription, Subscriber subscriber) {}

  /** One message on its way to one subscription. */
  private static final class Delivery {
    final Entry entry;
    final SnsEnvelope envelope;
    volatile int attempts;
    volatile Future<?> future;

    Delivery(Entry entry, SnsEnvelope envelope) {
      this.entry = entry;
      this.envelope = envelope;
    }
  }
}
