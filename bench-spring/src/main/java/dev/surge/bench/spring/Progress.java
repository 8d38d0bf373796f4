package dev.surge.bench.spring;

import dev.surge.worker.ProcessCpu;
import io.awspring.cloud.sqs.listener.acknowledgement.AcknowledgementResultCallback;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.messaging.Message;

/**
 * What the peer has done, and its busy window as the other contenders measure theirs: from the
 * first batch the listener is given to the last message acknowledged (deleted from the queue), with
 * the process's CPU time read at both ends. Told of deletions by the container, as its {@link
 * AcknowledgementResultCallback}; done when {@code expected} messages are deleted.
 */
final class Progress implements AcknowledgementResultCallback<Object> {
  private final long expected;
  private final CountDownLatch done = new CountDownLatch(1);
  private final LongAdder written = new LongAdder();
  private final LongAdder deleted = new LongAdder();
  private final LongAdder failedBatches = new LongAdder();
  private final LongAdder failedDeletes = new LongAdder();
  private final AtomicLong firstNanos = new AtomicLong();
  private final AtomicLong firstCpuNanos = new AtomicLong(-1);
  private final AtomicLong lastNanos = new AtomicLong();
  private final AtomicLong lastCpuNanos = new AtomicLong(-1);
  private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());

  Progress(long expected) {
    this.expected = expected;
  }

  /** A batch reached the listener. */
  void received() {
    if (firstNanos.get() == 0 && firstNanos.compareAndSet(0, System.nanoTime())) {
      firstCpuNanos.set(ProcessCpu.nanos());
    }
  }

  /** {@code n} items were written. */
  void written(int n) {
    written.add(n);
    lastProgressNanos.set(System.nanoTime());
  }

  /** A batch's listener failed: its messages are left for redelivery. */
  void failed() {
    failedBatches.increment();
  }

  @Override
  public void onSuccess(Collection<Message<Object>> messages) {
    deleted.add(messages.size());
    long now = System.nanoTime();
    lastNanos.accumulateAndGet(now, Math::max);
    lastCpuNanos.accumulateAndGet(ProcessCpu.nanos(), Math::max);
    lastProgressNanos.set(now);
    if (deleted.sum() >= expected) {
      done.countDown();
    }
  }

  @Override
  public void onFailure(Collection<Message<Object>> messages, Throwable t) {
    failedDeletes.add(messages.size());
  }

  /**
   * Waits until {@code expected} messages are deleted; false if nothing moved for {@code stall}
   * (none received, written or deleted).
   */
  boolean await(Duration stall) throws InterruptedException {
    if (expected <= 0) {
      return true;
    }
    while (!done.await(200, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() - lastProgressNanos.get() > stall.toNanos()) {
        return false;
      }
    }
    return true;
  }

  long expected() {
    return expected;
  }

  long written() {
    return written.sum();
  }

  long deleted() {
    return deleted.sum();
  }

  long failedBatches() {
    return failedBatches.sum();
  }

  long failedDeletes() {
    return failedDeletes.sum();
  }

  /** First batch received to last message deleted, in milliseconds (0 before any). */
  long busyMillis() {
    long first = firstNanos.get();
    long last = lastNanos.get();
    return first == 0 || last < first ? 0 : (last - first) / 1_000_000;
  }

  /** CPU time over the busy window, in milliseconds (-1 if unknown). */
  long busyCpuMillis() {
    long first = firstCpuNanos.get();
    long last = lastCpuNanos.get();
    return first < 0 || last < 0 ? -1 : (last - first) / 1_000_000;
  }
}
