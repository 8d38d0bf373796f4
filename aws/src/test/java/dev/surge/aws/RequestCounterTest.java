package dev.surge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

class RequestCounterTest {
  @Test
  void countsEachAttemptByOperationAndByTheServiceItBills() {
    RequestCounter counter = new RequestCounter();
    // Port 9 (discard) refuses: each attempt is still a request the client sent.
    try (SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(
                c -> c.addExecutionInterceptor(counter).retryStrategy(r -> r.maxAttempts(2)))
            .build()) {
      assertThatThrownBy(sqs::listQueues).isInstanceOf(SdkClientException.class);
    }
    assertThat(counter.count("ListQueues")).isEqualTo(2);
    assertThat(counter.sqs()).isEqualTo(2);
    assertThat(counter.dynamoDb()).isZero();
    assertThat(counter.total()).isEqualTo(2);
    counter.reset();
    assertThat(counter.sqs()).isZero();
  }
}
