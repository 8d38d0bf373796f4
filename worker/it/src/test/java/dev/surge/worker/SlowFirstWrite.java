package dev.surge.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;

/** Holds the first BatchWriteItem back for a while, as a throttled table would. */
final class SlowFirstWrite implements ExecutionInterceptor {
  private final Duration delay;
  private final AtomicBoolean done = new AtomicBoolean();

  SlowFirstWrite(Duration delay) {
    this.delay = delay;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    if (context.request() instanceof BatchWriteItemRequest && done.compareAndSet(false, true)) {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
