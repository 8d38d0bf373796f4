package dev.surge.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * What a missing queue or an endpoint that does not answer tells the user to do, by where the
 * client looks: the answers come from an interceptor, before anything is sent anywhere.
 */
class SqsQueuesTest {
  private static SqsClient client(boolean ownEndpoint, SdkException answer) {
    SqsClientBuilder b =
        SqsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(
                c ->
                    c.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            throw answer;
                          }
                        }));
    if (ownEndpoint) {
      b.endpointOverride(URI.create("http://127.0.0.1:9324"));
    }
    return b.build();
  }

  private static final QueueDoesNotExistException MISSING =
      QueueDoesNotExistException.builder().message("no such queue").build();

  @Test
  void atTheLocalCloudAMissingQueueIsTheLocalCloudsToCreate() {
    try (SqsClient sqs = client(true, MISSING)) {
      assertThatThrownBy(() -> SqsQueues.resolveUrl(sqs, "q", "http://127.0.0.1:9324"))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "queue 'q' does not exist at http://127.0.0.1:9324; start the local cloud with"
                  + " './surge up' (it creates it), or name an existing queue with --queue /"
                  + " SURGE_QUEUE");
    }
  }

  @Test
  void atAwsAMissingQueueIsTheStacksToCreate() {
    try (SqsClient sqs = client(false, MISSING)) {
      assertThatThrownBy(() -> SqsQueues.resolveUrl(sqs, "q", "SQS in us-east-1"))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "queue 'q' does not exist at SQS in us-east-1; deploy the stack with './surge"
                  + " deploy' (it creates it), or name an existing queue with --queue /"
                  + " SURGE_QUEUE");
    }
  }

  @Test
  void anEndpointThatDoesNotAnswerIsTheLocalCloudOrTheNetwork() {
    SdkClientException down = SdkClientException.create("Connection refused");
    try (SqsClient sqs = client(true, down)) {
      assertThatThrownBy(() -> SqsQueues.resolveUrl(sqs, "q", "http://127.0.0.1:9324"))
          .hasMessageContaining("start the local cloud with './surge up'");
    }
    try (SqsClient sqs = client(false, down)) {
      assertThatThrownBy(() -> SqsQueues.resolveUrl(sqs, "q", "SQS in us-east-1"))
          .hasMessageStartingWith("SQS is not reachable at SQS in us-east-1 (Connection refused)")
          .hasMessageContaining("check the network path")
          .hasMessageNotContaining("surge up");
    }
  }
}
