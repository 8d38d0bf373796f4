package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS endpoint of the stand-ins, on the wire: each place where ElasticMQ's answer differs from
 * what SQS documents, answered as SQS does; everything else as ElasticMQ answers.
 */
@ExtendWith(StandInsExtension.class)
class SqsBoundaryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static StandIns standIns;
  private static SqsClient sqs;
  private static String url;

  @BeforeAll
  static void start(StandIns s) {
    standIns = s;
    sqs =
        new AwsClients(AwsTarget.local(s.sqsEndpoint(), s.dynamoDbEndpoint()), 2, List.of())
            .build(SqsClient.builder(), "SQS");
    url = sqs.createQueue(b -> b.queueName("boundary-it")).queueUrl();
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  /** One AWS JSON protocol call as the SDKs and the aws CLI send it, signed for {@code service}. */
  private static HttpResponse<String> call(String service, String target, String body)
      throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(standIns.sqsEndpoint())
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", target)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=surge-local/20261202/us-east-1/"
                    + service
                    + "/aws4_request, SignedHeaders=host, Signature=00")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void queueUrlsNameTheEndpointClientsUse() {
    assertThat(url).startsWith(standIns.sqsEndpoint().toString() + "/");
  }

  @Test
  void anEmptyReceiveLeavesMessagesOut() throws Exception {
    HttpResponse<String> r =
        call(
            "sqs",
            "AmazonSQS.ReceiveMessage",
            JSON.writeValueAsString(Map.of("QueueUrl", url, "MaxNumberOfMessages", 1)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).has("Messages")).as(r.body()).isFalse();
    // With a message there, the answer is ElasticMQ's, untouched.
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("123456789"));
    HttpResponse<String> full =
        call(
            "sqs",
            "AmazonSQS.ReceiveMessage",
            JSON.writeValueAsString(Map.of("QueueUrl", url, "MaxNumberOfMessages", 1)));
    JsonNode messages = JSON.readTree(full.body()).get("Messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("Body").asText()).isEqualTo("123456789");
    sqs.deleteMessage(
        b -> b.queueUrl(url).receiptHandle(messages.get(0).get("ReceiptHandle").asText()));
  }

  @Test
  void allAttributesIncludeTheOnesSqsAlwaysReports() {
    Map<String, String> all =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
            .attributesAsStrings();
    assertThat(all)
        .containsEntry("MaximumMessageSize", "262144")
        .containsEntry("MessageRetentionPeriod", "345600")
        .containsEntry("SqsManagedSseEnabled", "false")
        .containsKeys("QueueArn", "VisibilityTimeout", "ApproximateNumberOfMessages");
    // Asked by name, only what was asked.
    Map<String, String> one =
        sqs.getQueueAttributes(
                b -> b.queueUrl(url).attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD))
            .attributesAsStrings();
    assertThat(one).containsOnlyKeys("MessageRetentionPeriod");
    Map<String, String> other =
        sqs.getQueueAttributes(
                b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
            .attributesAsStrings();
    assertThat(other).containsOnlyKeys("VisibilityTimeout");
  }

  @Test
  void theReportedMaximumSizeIsTheOneEnforced() {
    String url2 = sqs.createQueue(b -> b.queueName("boundary-size-it")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url2).messageBody("x".repeat(262_144)));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sqs.sendMessage(b -> b.queueUrl(url2).messageBody("x".repeat(262_145))))
        .isInstanceOf(software.amazon.awssdk.services.sqs.model.SqsException.class);
  }

  @Test
  void anErrorCarriesTheQueryProtocolCodeSqsDocuments() throws Exception {
    HttpResponse<String> r =
        call("sqs", "AmazonSQS.GetQueueUrl", "{\"QueueName\":\"boundary-no-such-queue\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-query-error"))
        .contains("AWS.SimpleQueueService.NonExistentQueue;Sender");
    // The SDK still raises the modelled exception, and reports SQS's code.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sqs.getQueueUrl(b -> b.queueName("boundary-no-such-queue")))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("AWS.SimpleQueueService.NonExistentQueue"));
    // An error whose type is its code keeps it.
    HttpResponse<String> bad =
        call(
            "sqs",
            "AmazonSQS.DeleteMessage",
            "{\"QueueUrl\":\"" + url + "\",\"ReceiptHandle\":\"not-a-handle\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    String type = JSON.readTree(bad.body()).get("__type").asText();
    assertThat(bad.headers().firstValue("x-amzn-query-error"))
        .contains(type.substring(type.lastIndexOf('#') + 1) + ";Sender");
  }

  @Test
  void aCallForAnotherServiceGetsOneClearError() throws Exception {
    HttpResponse<String> r =
        call("monitoring", "GraniteServiceVersion20100801.DescribeAlarms", "{}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(error.get("message").asText())
        .contains("'monitoring' is not served by the local cloud")
        .contains("surge status")
        .contains("/api/snapshot");
    // The query protocol (the aws CLI v1 for CloudWatch) gets the same error as XML.
    HttpResponse<String> q =
        HTTP.send(
            HttpRequest.newBuilder(standIns.sqsEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=k/20261202/us-east-1/ecs/aws4_request, X")
                .POST(HttpRequest.BodyPublishers.ofString("Action=ListTasks&Version=2014-11-13"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(q.statusCode()).isEqualTo(400);
    assertThat(q.body())
        .contains("<Code>UnknownOperationException</Code>")
        .contains("&apos;ecs&apos; is not served");
  }

  @Test
  void aPurgeIsToldWithWhatItRemovedWaitingAndInFlightApart() {
    String purged = sqs.createQueue(b -> b.queueName("boundary-purge-it")).queueUrl();
    java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The stand-ins are shared with the module's other classes, which purge queues of their own
    // meanwhile: only this test's queues count.
    standIns.onPurges(
        (queue, waiting, inFlight) -> {
          if (queue.startsWith(purged)) {
            told.add(queue + " " + waiting + " " + inFlight);
          }
        });
    try {
      for (int i = 0; i < 5; i++) {
        String body = "purge-" + i;
        sqs.sendMessage(b -> b.queueUrl(purged).messageBody(body));
      }
      assertThat(sqs.receiveMessage(b -> b.queueUrl(purged).maxNumberOfMessages(2)).messages())
          .hasSize(2);
      sqs.purgeQueue(b -> b.queueUrl(purged));
      assertThat(told).containsExactly(purged + " 3 2");
      assertThat(
              sqs.getQueueAttributes(b -> b.queueUrl(purged).attributeNames(QueueAttributeName.ALL))
                  .attributesAsStrings())
          .containsEntry("ApproximateNumberOfMessages", "0")
          .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
      // A purge that fails (no such queue) is not told.
      String missing = purged + "-missing";
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> sqs.purgeQueue(b -> b.queueUrl(missing)))
          .isInstanceOf(software.amazon.awssdk.services.sqs.model.SqsException.class);
      assertThat(told).hasSize(1);
    } finally {
      standIns.onPurges((queue, waiting, inFlight) -> {});
    }
  }

  @Test
  void theBoundaryRulesLeaveOtherAnswersAlone() throws Exception {
    byte[] answer = "{\"QueueUrls\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(SqsBoundary.correct("ListQueues", "{}".getBytes(), answer)).isSameAs(answer);
    byte[] some =
        "{\"Messages\":[{\"Body\":\"1\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(SqsBoundary.correct("ReceiveMessage", "{}".getBytes(), some)).isSameAs(some);
    assertThat(URI.create(url).getPort()).isEqualTo(standIns.sqsEndpoint().getPort());
  }
}
