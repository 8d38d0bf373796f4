package dev.surge.aws;

import dev.surge.core.ConfigException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Turns a queue name or URL into a URL, with a clear error when the queue does not exist. What the
 * error tells the user to do depends on where the client looks: at an endpoint of its own (the
 * local cloud, an emulator), start the local cloud; at AWS's, deploy the stack.
 */
public final class SqsQueues {
  private SqsQueues() {}

  /**
   * The URL of {@code nameOrUrl}: a URL is checked with {@code GetQueueAttributes} and returned as
   * is; a name is looked up with {@code GetQueueUrl}.
   *
   * @throws ConfigException when the queue does not exist or the endpoint cannot be reached
   */
  public static String resolveUrl(SqsClient sqs, String nameOrUrl, String endpointHint) {
    try {
      return lookUpUrl(sqs, nameOrUrl, endpointHint);
    } catch (SdkClientException e) {
      if (ownEndpoint(sqs)) {
        throw unreachable("SQS", endpointHint, e);
      }
      throw new ConfigException(
          "SQS is not reachable at "
              + endpointHint
              + " ("
              + e.getMessage()
              + "); check the network path to it (from a Lambda function in a VPC: a NAT gateway"
              + " or a VPC endpoint for SQS)",
          e);
    }
  }

  /**
   * As {@link #resolveUrl}, but an endpoint that does not answer is the caller's to handle (to
   * retry, say): its {@link SdkClientException} passes through.
   *
   * @throws ConfigException when the queue does not exist
   */
  public static String lookUpUrl(SqsClient sqs, String nameOrUrl, String endpointHint) {
    if (nameOrUrl.startsWith("http://") || nameOrUrl.startsWith("https://")) {
      // A URL names its queue too: make sure it exists now, rather than failing every send later.
      try {
        sqs.getQueueAttributes(
            b -> b.queueUrl(nameOrUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
        return nameOrUrl;
      } catch (QueueDoesNotExistException e) {
        throw new ConfigException(
            "queue " + nameOrUrl + " does not exist at " + endpointHint + "; " + create(sqs), e);
      }
    }
    try {
      return sqs.getQueueUrl(b -> b.queueName(nameOrUrl)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      throw new ConfigException(
          "queue '" + nameOrUrl + "' does not exist at " + endpointHint + "; " + create(sqs), e);
    }
  }

  private static boolean ownEndpoint(SqsClient sqs) {
    return sqs.serviceClientConfiguration().endpointOverride().isPresent();
  }

  /** What creates the queue: the local cloud at an endpoint of its own, the stack at AWS's. */
  private static String create(SqsClient sqs) {
    return (ownEndpoint(sqs)
            ? "start the local cloud with './surge up' (it creates it)"
            : "deploy the stack with './surge deploy' (it creates it)")
        + ", or name an existing queue with --queue / SURGE_QUEUE";
  }

  /** The error for an endpoint of the local cloud's that does not answer. */
  public static ConfigException unreachable(String service, String endpoint, Exception cause) {
    return new ConfigException(
        service
            + " is not reachable at "
            + endpoint
            + " ("
            + cause.getMessage()
            + "); start the local cloud with './surge up', or set AWS_ENDPOINT_URL_"
            + service.toUpperCase(java.util.Locale.ROOT)
            + " to a running endpoint",
        cause);
  }
}
