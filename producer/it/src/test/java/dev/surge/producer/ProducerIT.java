package dev.surge.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(StandInsExtension.class)
class ProducerIT {
  private static StandIns standIns;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  @Test
  void sendsExactlyTheRequestedCountOfDistinctSeedBodiesInBatchesOfTen() {
    try (TestQueue f = new TestQueue(standIns, "produce", QueueOptions.defaults())) {
      AtomicLong progress = new AtomicLong();
      ProduceResult r =
          new Producer(f.sqs, f.queues.url(), Backoff.standard())
              .produce(
                  2003,
                  4,
                  Optional.empty(),
                  new UniqueBodies(new SplittableRandom()),
                  progress::addAndGet);

      assertThat(r.sent()).isEqualTo(2003);
      assertThat(r.failed()).isZero();
      assertThat(r.requests()).isEqualTo(201);
      assertThat(progress.get()).isEqualTo(2003);
      assertThat(f.queueCount()).isEqualTo(2003);
      Set<String> bodies = new HashSet<>();
      List<Message> got;
      do {
        got =
            f.sqs
                .receiveMessage(b -> b.queueUrl(f.queues.url()).maxNumberOfMessages(10))
                .messages();
        got.forEach(m -> bodies.add(m.body()));
      } while (!got.isEmpty());
      assertThat(bodies).hasSize(2003).allMatch(b -> b.matches("[1-9][0-9]{8}"));
    }
  }

  @Test
  void aRateLimitIsNeverExceeded() {
    try (TestQueue f = new TestQueue(standIns, "rate", QueueOptions.defaults())) {
      ProduceResult r =
          new Producer(f.sqs, f.queues.url(), Backoff.standard())
              .produce(
                  400, 4, Optional.of(200.0), new UniqueBodies(new SplittableRandom()), n -> {});
      assertThat(r.sent()).isEqualTo(400);
      // 400 messages at 200/s: the last batch may start at 1.95 s at the earliest.
      assertThat(r.elapsed().toMillis()).isGreaterThanOrEqualTo(1900);
    }
  }
}
