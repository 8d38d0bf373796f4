package dev.surge.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.dashboard.EventJson;
import dev.surge.provision.Provisioner;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The run summary computed from the items in a real table (dynalite). */
@ExtendWith(StandInsExtension.class)
class RunSummariesIT {
  private static final Instant SENT = Instant.parse("2026-03-01T10:00:00Z");

  private static DynamoDbClient dynamodb;
  private static Provisioner provisioner;

  @BeforeAll
  static void clients(StandIns standIns) {
    AwsClients clients =
        new AwsClients(
            AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint()), 4, List.of());
    dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    provisioner = new Provisioner(clients.build(SqsClient.builder(), "SQS"), dynamodb);
  }

  @AfterAll
  static void close() {
    dynamodb.close();
  }

  /** A table holding one item per instant in {@code processedAt}, as the worker writes them. */
  private static String tableWith(Instant... processedAt) {
    String table = "summary-" + UUID.randomUUID().toString().substring(0, 8);
    provisioner.ensureTable(table);
    for (int i = 0; i < processedAt.length; i++) {
      Map<String, AttributeValue> item =
          Map.of(
              ItemSchema.KEY, AttributeValue.fromS(Integer.toString(100_000_000 + i)),
              ItemSchema.HOST, AttributeValue.fromS("task-0001"),
              ItemSchema.RECEIVE_COUNT, AttributeValue.fromN("1"),
              ItemSchema.SENT_AT, AttributeValue.fromS(SENT.toString()),
              ItemSchema.PROCESSED_AT, AttributeValue.fromS(processedAt[i].toString()));
      dynamodb.putItem(b -> b.tableName(table).item(item));
    }
    return table;
  }

  private static PipelineEvent.RunSummary summary(String table, long produced) {
    return summary(table, produced, List.of("task-0001"));
  }

  private static PipelineEvent.RunSummary summary(String table, long produced, List<String> tasks) {
    return RunSummaries.compute(
        dynamodb,
        table,
        produced,
        SENT,
        0,
        0,
        0,
        tasks,
        0,
        -1,
        SENT.plusSeconds(3),
        Optional.empty(),
        Optional.empty(),
        new EventLog(10));
  }

  private static String printed(PipelineEvent.RunSummary s) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      RunSummaries.print(out, s);
    }
    return text.toString();
  }

  private static JsonNode json(PipelineEvent.RunSummary s) {
    return EventJson.of(new PipelineEvent.RunFinished(SENT.plusSeconds(3), s)).get("summary");
  }

  @Test
  void itemsWrittenUnderAMillisecondApartHaveNoRateInTextOrJson() {
    Instant first = SENT.plusSeconds(1);
    // Before, 2 items 0.4 ms apart made 2,000 / 0 ms: "throughput 922337203685477630.0 items/s".
    PipelineEvent.RunSummary s = summary(tableWith(first, first.plusNanos(400_000)), 2);

    assertThat(s.inTable()).isEqualTo(2);
    assertThat(printed(s))
        .containsPattern("throughput +n/a +items/s, first to last item written \\(under 1 s")
        .doesNotContain("9223372036854");
    assertThat(json(s).get("itemsPerSecond").isNull()).as(json(s).toString()).isTrue();
  }

  @Test
  void aSingleItemHasNoRateEither() {
    // Before: "0.0 items/s", as if nothing had been written.
    PipelineEvent.RunSummary s = summary(tableWith(SENT.plusSeconds(1)), 1);

    assertThat(printed(s)).containsPattern("throughput +n/a +items/s");
    assertThat(json(s).get("itemsPerSecond").isNull()).isTrue();
  }

  @Test
  void itemsOverASecondOrMoreHaveTheirRate() {
    Instant first = SENT.plusSeconds(1);
    PipelineEvent.RunSummary s =
        summary(tableWith(first, first.plusMillis(500), first.plusMillis(1250)), 3);

    assertThat(s.itemsPerSecond()).isEqualTo(2.4); // 3 items / 1.25 s
    assertThat(printed(s)).containsPattern("throughput +2.4 +items/s, first to last item written");
    assertThat(json(s).get("itemsPerSecond").asDouble()).isEqualTo(2.4);
  }

  @Test
  void aTaskThatWroteNothingIsListedByNameWithTheOthers() {
    Instant first = SENT.plusSeconds(1);
    PipelineEvent.RunSummary s =
        summary(tableWith(first, first.plusSeconds(1)), 2, List.of("task-0001", "task-0002"));

    // Before: "1 more task 0 items", the name of the task left out.
    assertThat(printed(s))
        .containsPattern("tasks launched +2")
        .containsPattern("task-0001 +2 items")
        .containsPattern("task-0002 +0 items")
        .doesNotContain("more task");
    assertThat(json(s).get("itemsPerHost").get("task-0002").asLong()).isZero();
  }
}
