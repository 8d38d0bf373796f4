package dev.surge.chaos;

import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.run.Run;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A chaos run's messages, sent while the run goes on: the good ones by Surge's producer (four
 * senders), the poison ones ({@link PoisonMessages}) by a thread of their own, spread evenly among
 * the good ones.
 */
final class ChaosSending implements Run.Sending {
  private final AtomicLong goodSent = new AtomicLong();
  private final AtomicLong poisonSent = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicReference<ProduceResult> produced = new AtomicReference<>();
  private final Thread producer;
  private final Thread poisoner;

  private ChaosSending(SqsClient sqs, String queue, long good, long poison) {
    this.producer =
        new Thread(
            () -> {
              try {
                produced.set(
                    new Producer(sqs, queue, Backoff.standard())
                        .produce(
                            good,
                            4,
                            Optional.empty(),
                            new UniqueBodies(new SplittableRandom(new SecureRandom().nextLong())),
                            goodSent::addAndGet));
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "chaos-producer");
    this.poisoner =
        new Thread(
            () -> {
              try {
                // Spread evenly among the good messages.
                while (poisonSent.get() < poison) {
                  long due =
                      producer.isAlive()
                          ? (long) Math.ceil(poison * (goodSent.get() / (double) Math.max(1, good)))
                          : poison;
                  if (poisonSent.get() < due) {
                    int n = (int) Math.min(10, poison - poisonSent.get());
                    PoisonMessages.send(sqs, queue, poisonSent.get(), n);
                    poisonSent.addAndGet(n);
                  } else {
                    Thread.sleep(5);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "chaos-poison");
    producer.setDaemon(true);
    poisoner.setDaemon(true);
  }

  /** Starts sending {@code good} good and {@code poison} poison messages to {@code queue}. */
  static ChaosSending start(SqsClient sqs, String queue, long good, long poison) {
    ChaosSending s = new ChaosSending(sqs, queue, good, poison);
    s.producer.start();
    s.poisoner.start();
    return s;
  }

  @Override
  public boolean done() {
    return !producer.isAlive() && !poisoner.isAlive();
  }

  /** Messages sent so far (the producer's own count once it has returned). */
  @Override
  public long sent() {
    ProduceResult r = produced.get();
    return (r == null ? goodSent.get() : r.sent()) + poisonSent.get();
  }

  /** Messages sent so far, both kinds, as they are counted while sending. */
  long sentSoFar() {
    return goodSent.get() + poisonSent.get();
  }

  /** Poison messages sent. */
  long poisonSent() {
    return poisonSent.get();
  }

  /** Fails if either sender failed. */
  void requireNoFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("the producer failed: " + t, t);
    }
  }
}
