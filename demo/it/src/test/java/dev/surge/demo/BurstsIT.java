package dev.surge.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.dashboard.EventJson;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.queue.QueueOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The run summaries of {@code surge up} for messages another tool sends, on the real local cloud:
 * ElasticMQ, dynalite, and worker processes.
 */
class BurstsIT {
  @TempDir Path logs;

  @Test
  @SuppressWarnings("try") // the bursts only need closing
  void twoMessagesWithTheSameBodyAreBothWrittenAPoisonOneIsDeadLetteredAndPurgedOnesAreNotLost()
      throws Exception {
    LocalCloudOptions options =
        LocalCloudOptions.seed(0, 0, logs)
            .withAlarmPeriod(Duration.ofSeconds(1))
            .withAlarmThreshold(0)
            .withQueue(new QueueOptions(Duration.ofSeconds(3), 2))
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(1)
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(Duration.ofSeconds(2)));
    EventLog events = new EventLog(10_000);
    StringWriter text = new StringWriter();
    try (LocalCloud cloud = LocalCloud.start(options, events, Clock.systemUTC());
        Bursts bursts =
            new Bursts(
                cloud, options.names().table(), events, new PrintWriter(text), Clock.systemUTC());
        // Another tool, through the SQS endpoint, as the aws CLI's send-message would.
        SqsClient sqs =
            new AwsClients(
                    AwsTarget.local(
                        cloud.standIns().sqsEndpoint(), cloud.standIns().dynamoDbEndpoint()),
                    2,
                    List.of())
                .build(SqsClient.builder(), "SQS")) {
      String url = cloud.queues().url();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("123456789"));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("123456789"));
      // Over DynamoDB's 2,048-byte key: never written, dead-lettered after its receives.
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison-" + "x".repeat(3000)));

      PipelineEvent.RunFinished finished =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> finished(events), Optional::isPresent)
              .orElseThrow();
      PipelineEvent.RunSummary s = finished.summary();

      // Before: in table 1 counted against 3 sent, dead-letter 1: "unaccounted 1 <-- MESSAGES
      // LOST", and the page's "1 of 3 messages unaccounted for".
      assertThat(s.produced()).isEqualTo(3);
      assertThat(s.inTable()).isEqualTo(1);
      assertThat(s.written()).as("messages written").isEqualTo(2);
      assertThat(s.inDeadLetterQueue()).isEqualTo(1);
      assertThat(s.unaccounted()).isZero();
      assertThat(s.success()).isTrue();
      String printed = text.toString();
      assertThat(printed)
          .containsPattern("produced +3")
          .containsPattern("in table +1")
          .containsPattern("messages written +2")
          .containsPattern("in dead-letter queue +1")
          .containsPattern("unaccounted +0 +\\(every message accounted for\\)")
          .doesNotContain("LOST");
      // What the page reads.
      JsonNode json = EventJson.of(finished);
      assertThat(json.get("summary").get("unaccounted").asLong()).isZero();
      assertThat(json.get("summary").get("success").asBoolean()).isTrue();
      assertThat(json.get("summary").get("written").asLong()).isEqualTo(2);
      assertThat(json.get("summary").get("inDeadLetterQueue").asLong()).isEqualTo(1);

      // Purges through the SQS endpoint, as surge purge and aws sqs purge-queue send them, while
      // a second burst waits (two messages, delayed so that no task takes them): the dead-letter
      // queue's message of the first burst, then the burst's own two. Its summary counts them as
      // purged, and neither purge as dead-lettered or lost.
      for (String body : List.of("purged-1", "purged-2")) {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).delaySeconds(60));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> cloud.arrivals() == 5);
      Thread.sleep(Bursts.QUIET.toMillis()); // the burst has begun, and waits for its messages
      sqs.purgeQueue(b -> b.queueUrl(cloud.queues().deadLetterUrl()));
      sqs.purgeQueue(b -> b.queueUrl(url));
      PipelineEvent.RunSummary second =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> finished(events, 2), Optional::isPresent)
              .orElseThrow()
              .summary();
      assertThat(second.produced()).isEqualTo(2);
      assertThat(second.purged()).isEqualTo(2);
      assertThat(second.inDeadLetterQueue()).isZero();
      assertThat(second.written()).isZero();
      assertThat(second.unaccounted()).isZero();
      assertThat(cloud.purged()).isEqualTo(2);
      assertThat(cloud.purgedDeadLetters()).isEqualTo(1);
      assertThat(text.toString())
          .contains("A burst of 2 message(s) is done")
          .containsPattern("purged +2")
          .doesNotContain("LOST");
      assertThat(
              EventJson.of(finished(events, 2).orElseThrow()).get("summary").get("purged").asLong())
          .isEqualTo(2);
    }
  }

  /** The {@code n}-th run summary published, if there is one yet. */
  private static Optional<PipelineEvent.RunFinished> finished(EventLog events, int n) {
    return events.events().stream()
        .map(EventLog.Sequenced::event)
        .filter(e -> e instanceof PipelineEvent.RunFinished)
        .map(e -> (PipelineEvent.RunFinished) e)
        .skip(n - 1)
        .findFirst();
  }

  private static Optional<PipelineEvent.RunFinished> finished(EventLog events) {
    return events.events().stream()
        .map(EventLog.Sequenced::event)
        .filter(e -> e instanceof PipelineEvent.RunFinished)
        .map(e -> (PipelineEvent.RunFinished) e)
        .findFirst();
  }
}
