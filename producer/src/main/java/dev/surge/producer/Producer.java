package dev.surge.producer;

import dev.surge.core.produce.RateLimiter;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends the seed's messages (unique random 9-digit bodies) with {@code SendMessageBatch} of 10,
 * from concurrent senders, optionally rate-limited. Failed entries of a batch are retried with
 * backoff; the count of messages sent is taken from the responses, so it is exact.
 */
public final class Producer {
  private static final Logger log = LoggerFactory.getLogger(Producer.class);
  private static final int BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final Backoff backoff;

  /** Sends to {@code queueUrl}; retries failed entries with {@code backoff}. */
  public Producer(SqsClient sqs, String queueUrl, Backoff backoff) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * Sends {@code count} messages with bodies {@code bodies.body(0..count-1)}.
   *
   * @param concurrency concurrent senders
   * @param rate messages per second at most, if present
   * @param progress called with the number of messages accepted by each batch
   */
  public ProduceResult produce(
      long count,
      int concurrency,
      Optional<Double> rate,
      UniqueBodies bodies,
      LongConsumer progress) {
    return produce(count, concurrency, rate, bodies, progress, () -> false);
  }

  /**
   * As {@link #produce(long, int, Optional, UniqueBodies, LongConsumer)}, sending no further batch
   * once {@code stop} says so (the batches in flight finish); the result counts what was sent.
   */
  public ProduceResult produce(
      long count,
      int concurrency,
      Optional<Double> rate,
      UniqueBodies bodies,
      LongConsumer progress,
      java.util.function.BooleanSupplier stop) {
    if (count < 0 || count > UniqueBodies.SIZE) {
      throw new IllegalArgumentException("count must be 0.." + UniqueBodies.SIZE);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1");
    }
    Optional<RateLimiter> limiter = rate.map(r -> new RateLimiter(r, System::nanoTime));
    AtomicLong next = new AtomicLong();
    LongAdder sent = new LongAdder();
    LongAdder failed = new LongAdder();
    LongAdder retried = new LongAdder();
    LongAdder requests = new LongAdder();
    long t0 = System.nanoTime();
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Thread t =
          new Thread(
              () -> {
                long start;
                while (!stop.getAsBoolean() && (start = next.getAndAdd(BATCH)) < count) {
                  int n = (int) Math.min(BATCH, count - start);
                  limiter.ifPresent(l -> pause(l.reserve(n)));
                  List<SendMessageBatchRequestEntry> entries = new ArrayList<>(n);
                  for (int k = 0; k < n; k++) {
                    entries.add(
                        SendMessageBatchRequestEntry.builder()
                            .id(Integer.toString(k))
                            .messageBody(bodies.body(start + k))
                            .build());
                  }
                  Sent r = sendWithRetries(entries, requests, retried);
                  sent.add(r.ok);
                  failed.add(r.failed);
                  progress.accept(r.ok);
                }
              },
              "sender-" + i);
      senders.add(t);
      t.start();
    }
    for (Thread t : senders) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new ProduceResult(
        count,
        sent.sum(),
        failed.sum(),
        retried.sum(),
        requests.sum(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private Sent sendWithRetries(
      List<SendMessageBatchRequestEntry> entries, LongAdder requests, LongAdder retried) {
    List<SendMessageBatchRequestEntry> pending = entries;
    int ok = 0;
    int rejected = 0;
    int attempts = 0;
    String lastError = "";
    while (!pending.isEmpty()) {
      attempts++;
      requests.increment();
      List<SendMessageBatchRequestEntry> again = new ArrayList<>();
      try {
        List<SendMessageBatchRequestEntry> batch = pending;
        SendMessageBatchResponse response =
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
        ok += response.successful().size();
        for (BatchResultErrorEntry e : response.failed()) {
          SendMessageBatchRequestEntry entry = byId(batch, e.id());
          lastError = e.code() + ": " + e.message();
          if (Boolean.TRUE.equals(e.senderFault())) {
            // The request itself is wrong (e.g. an invalid body): sending it again cannot help.
            log.warn("message rejected by the queue ({}); not retried", lastError);
            rejected++;
          } else {
            again.add(entry);
          }
        }
      } catch (SdkException e) {
        lastError = e.toString();
        again = pending;
      }
      if (again.isEmpty()) {
        break;
      }
      if (!backoff.canRetry(attempts)) {
        log.warn("{} messages not sent after {} attempts: {}", again.size(), attempts, lastError);
        return new Sent(ok, rejected + again.size());
      }
      retried.add(again.size());
      pause(backoff.delay(attempts - 1, ThreadLocalRandom.current()).toNanos());
      pending = again;
    }
    return new Sent(ok, rejected);
  }

  private static SendMessageBatchRequestEntry byId(
      List<SendMessageBatchRequestEntry> entries, String id) {
    for (SendMessageBatchRequestEntry e : entries) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    throw new IllegalStateException("the response names entry " + id + ", which was not sent");
  }

  private static void pause(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Sent(int ok, int failed) {}
}
