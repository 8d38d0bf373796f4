package dev.surge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Messages another tool sends through the SQS endpoint one call at a time, as the seed's producer
 * does: they count as produced, and are told as a few "produced" events, not one per message, which
 * would push the chain's own events out of the page and of the bounded event log.
 */
class ArrivalsIT {
  @TempDir Path logs;

  @Test
  void oneMessagePerCallIsToldAsAFewEventsWithTheLastTotal() throws Exception {
    EventLog events = new EventLog(10_000);
    try (LocalCloud cloud =
        LocalCloud.start(LocalCloudOptions.seed(0, 0, logs), events, Clock.systemUTC())) {
      AwsTarget outside =
          AwsTarget.local(cloud.standIns().sqsEndpoint(), cloud.standIns().dynamoDbEndpoint());
      int sent = 60;
      try (SqsClient sqs =
          new AwsClients(outside, 2, List.of()).build(SqsClient.builder(), "SQS")) {
        String url = sqs.getQueueUrl(b -> b.queueName(cloud.options().names().queue())).queueUrl();
        for (int i = 0; i < sent; i++) {
          String body = "arrival-" + i;
          sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
      }
      assertThat(cloud.arrivals()).isEqualTo(sent);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  events
                      .last(PipelineEvent.Produced.class)
                      .map(p -> p.sent() == sent && p.target() == sent)
                      .orElse(false));
      long told =
          events.events().stream().filter(e -> e.event() instanceof PipelineEvent.Produced).count();
      assertThat(told).as("produced events for %d messages", sent).isBetween(1L, sent / 4L);
    }
  }
}
