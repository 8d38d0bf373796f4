package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.item.QueueMessage;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.item.WorkItem;
import dev.surge.core.retry.Backoff;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BatchWriteItem against dynalite: one invalid item does not fail its neighbours. */
@ExtendWith(StandInsExtension.class)
class DynamoItemWriterIT {
  private static StandIns standIns;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  private static WorkItem item(String body) {
    return WorkItem.of(
        new QueueMessage("m-" + body.length() + body.charAt(0), "rh", body, Instant.now(), 1),
        new TaskIdentity("t", "h"),
        Instant.now());
  }

  @Test
  void anInvalidItemIsIsolatedAndOnlyItIsRejected() {
    try (Fixture f = new Fixture(standIns, "isolate", QueueOptions.defaults())) {
      List<WorkItem> items = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        items.add(item("10000000" + i));
      }
      String tooLong = "7".repeat(2049); // KeyCheck would catch it; here it reaches DynamoDB
      items.add(4, item(tooLong));

      Map<String, WriteOutcome> outcomes =
          new DynamoItemWriter(f.dynamodb, f.table, Backoff.standard(), new StopSignal())
              .write(items);

      assertThat(outcomes).hasSize(10);
      assertThat(outcomes.get(tooLong)).isInstanceOf(WriteOutcome.Rejected.class);
      assertThat(((WriteOutcome.Rejected) outcomes.get(tooLong)).reason()).contains("2048");
      assertThat(outcomes.values().stream().filter(o -> o instanceof WriteOutcome.Written))
          .hasSize(9);
      assertThat(f.itemCount()).isEqualTo(9);
    }
  }

  @Test
  void moreThan25ItemsAreSplitIntoRequestsOf25() {
    try (Fixture f = new Fixture(standIns, "split", QueueOptions.defaults())) {
      List<WorkItem> items = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        items.add(item(Integer.toString(200000000 + i)));
      }
      dev.surge.aws.RequestCounter requests = new dev.surge.aws.RequestCounter();
      dev.surge.aws.AwsClients clients =
          new dev.surge.aws.AwsClients(f.target, 4, List.of(requests));
      try (var ddb =
          clients.build(
              software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), "DYNAMODB")) {
        Map<String, WriteOutcome> outcomes =
            new DynamoItemWriter(ddb, f.table, Backoff.standard(), new StopSignal()).write(items);
        assertThat(outcomes.values()).allMatch(o -> o instanceof WriteOutcome.Written);
      }
      assertThat(requests.count("BatchWriteItem")).isEqualTo(3);
      assertThat(f.itemCount()).isEqualTo(60);
    }
  }
}
