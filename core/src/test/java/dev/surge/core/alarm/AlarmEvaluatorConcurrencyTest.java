package dev.surge.core.alarm;

import static dev.surge.core.alarm.Alarms.period;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AlarmEvaluatorConcurrencyTest {
  private static final int THREADS = 4;
  private static final int SAMPLES_PER_THREAD = 10_000;

  @Test
  void concurrentRecordsLoseNoSample() throws Exception {
    AlarmEvaluator alarm = new AlarmEvaluator(Alarms.spec(1, 1, TreatMissingData.MISSING));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        double value = t + 1;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < SAMPLES_PER_THREAD; i++) {
                    // Spread over two periods so both the map and the summaries are contended.
                    Instant at = period(i % 2).plusMillis(i % 100);
                    alarm.record(at, value);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    alarm.evaluate(period(2));

    // Each thread put half its samples in each period: 5,000 x (1 + 2 + 3 + 4) per period.
    assertThat(alarm.lastDatapoints())
        .extracting(Datapoint::value)
        .containsExactly(50_000.0, 50_000.0);
  }
}
