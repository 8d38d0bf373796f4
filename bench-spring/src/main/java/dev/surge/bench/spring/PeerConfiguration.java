package dev.surge.bench.spring;

import dev.surge.aws.RequestCounter;
import io.awspring.cloud.sqs.config.SqsBootstrapConfiguration;
import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The peer's application context: the two SDK clients, the listener container factory and the
 * listener. Settings are read from the {@link Environment}, where the bench's variables are (the
 * same ones every contender gets): the queue, the table, the concurrency, the poll wait, the
 * messages to expect, and the standard {@code AWS_*} variables for the endpoints, region and
 * credentials. Without Spring Boot, {@link SqsBootstrapConfiguration} is imported for the
 * {@code @SqsListener} support, as Spring Cloud AWS's documentation shows.
 */
@Configuration(proxyBeanMethods = false)
@Import(SqsBootstrapConfiguration.class)
public class PeerConfiguration {
  /** The queue's URL. */
  public static final String QUEUE = "SURGE_QUEUE";

  /** The table's name. */
  public static final String TABLE = "SURGE_TABLE";

  /** Pollers of every contender: here, batches of 10 in flight at once. */
  public static final String CONCURRENCY = "SURGE_CONCURRENCY";

  /** Long-poll wait of a receive, in seconds. */
  public static final String POLL_WAIT = "SURGE_POLL_WAIT_SECONDS";

  /** Messages to delete before the peer stops. */
  public static final String MESSAGES = "SURGE_BENCH_MESSAGES";

  /** The items' task id. */
  public static final String TASK_ID = "SURGE_TASK_ID";

  /** Messages SQS returns to one receive at most. */
  static final int MESSAGES_PER_POLL = 10;

  @Bean
  RequestCounter requestCounter() {
    return new RequestCounter();
  }

  @Bean
  Progress progress(Environment env) {
    return new Progress(env.getRequiredProperty(MESSAGES, Long.class));
  }

  @Bean
  SqsAsyncClient sqsAsyncClient(Environment env, RequestCounter requests) {
    return configure(SqsAsyncClient.builder(), env, "SQS", requests).build();
  }

  @Bean
  DynamoDbClient dynamoDbClient(Environment env, RequestCounter requests) {
    return configure(DynamoDbClient.builder(), env, "DYNAMODB", requests).build();
  }

  /**
   * The factory of the {@code @SqsListener} containers (the bean name the annotation uses when it
   * names none): as many messages in flight as the worker's pollers hold (10 each), polls of 10
   * with the others' wait, deletion only of batches the listener finished (ON_SUCCESS), and only
   * the two system attributes the item needs. The queue is given by URL and provisioned by the
   * bench: a missing one is an error (not created, the default), and no queue attributes are
   * fetched.
   */
  @Bean
  SqsMessageListenerContainerFactory<Object> defaultSqsListenerContainerFactory(
      SqsAsyncClient sqs, Progress progress, Environment env) {
    int concurrency = env.getProperty(CONCURRENCY, Integer.class, 4);
    Duration pollWait = Duration.ofSeconds(env.getProperty(POLL_WAIT, Integer.class, 1));
    return SqsMessageListenerContainerFactory.builder()
        .sqsAsyncClient(sqs)
        .configure(
            options ->
                options
                    .maxConcurrentMessages(concurrency * MESSAGES_PER_POLL)
                    .maxMessagesPerPoll(MESSAGES_PER_POLL)
                    .pollTimeout(pollWait)
                    .acknowledgementMode(AcknowledgementMode.ON_SUCCESS)
                    .messageSystemAttributeNames(
                        List.of(
                            MessageSystemAttributeName.SENT_TIMESTAMP,
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .queueNotFoundStrategy(QueueNotFoundStrategy.FAIL))
        .acknowledgementResultCallback(progress)
        .build();
  }

  @Bean
  ItemListener itemListener(DynamoDbClient dynamodb, Progress progress, Environment env) {
    return new ItemListener(
        dynamodb,
        env.getRequiredProperty(TABLE),
        env.getProperty(TASK_ID, "bench-spring"),
        progress);
  }

  // Endpoint, region and credentials from the standard variables (what Spring Cloud AWS's
  // spring.cloud.aws.* properties set in a Boot application); requests counted as the bench
  // counts every contender's.
  private static <B extends AwsClientBuilder<B, C>, C> B configure(
      B builder, Environment env, String service, RequestCounter requests) {
    Optional.ofNullable(env.getProperty("AWS_ENDPOINT_URL_" + service))
        .or(() -> Optional.ofNullable(env.getProperty("AWS_ENDPOINT_URL")))
        .map(URI::create)
        .ifPresent(builder::endpointOverride);
    Optional.ofNullable(env.getProperty("AWS_REGION")).map(Region::of).ifPresent(builder::region);
    builder.credentialsProvider(credentials(env));
    builder.overrideConfiguration(
        ClientOverrideConfiguration.builder().addExecutionInterceptor(requests).build());
    return builder;
  }

  private static AwsCredentialsProvider credentials(Environment env) {
    String key = env.getProperty("AWS_ACCESS_KEY_ID");
    String secret = env.getProperty("AWS_SECRET_ACCESS_KEY");
    return key != null && secret != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret))
        : DefaultCredentialsProvider.builder().build();
  }
}
