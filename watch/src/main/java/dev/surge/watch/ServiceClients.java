package dev.surge.watch;

import dev.surge.aws.AwsClients;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients an observer of the stack reads through. Closing closes all five.
 *
 * @param sqs queue counters
 * @param dynamodb the table's item count
 * @param cloudWatch the alarm's state
 * @param ecs the tasks
 * @param logs the trigger function's and the workers' log groups
 */
public record ServiceClients(
    SqsClient sqs,
    DynamoDbClient dynamodb,
    CloudWatchClient cloudWatch,
    EcsClient ecs,
    CloudWatchLogsClient logs)
    implements AutoCloseable {

  /** Requires every client. */
  public ServiceClients {
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(dynamodb, "dynamodb");
    Objects.requireNonNull(cloudWatch, "cloudWatch");
    Objects.requireNonNull(ecs, "ecs");
    Objects.requireNonNull(logs, "logs");
  }

  /**
   * Builds the five clients as {@code clients} configures them (region, endpoints, credentials,
   * pool size, interceptors). Each poll makes one call at a time, so a pool of 2 is plenty.
   */
  public static ServiceClients build(AwsClients clients) {
    return new ServiceClients(
        clients.build(SqsClient.builder(), "SQS"),
        clients.build(DynamoDbClient.builder(), "DYNAMODB"),
        clients.build(CloudWatchClient.builder(), "CLOUDWATCH"),
        clients.build(EcsClient.builder(), "ECS"),
        clients.build(CloudWatchLogsClient.builder(), "LOGS"));
  }

  @Override
  public void close() {
    // Each close is independent: one failing must not leave the others open.
    RuntimeException first = null;
    for (SdkAutoCloseable c : List.<SdkAutoCloseable>of(sqs, dynamodb, cloudWatch, ecs, logs)) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
