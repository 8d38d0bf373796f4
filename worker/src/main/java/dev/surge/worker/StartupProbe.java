package dev.surge.worker;

import dev.surge.aws.SqsQueues;
import dev.surge.core.ConfigException;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.worker.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Confirms, before the first receive, what the worker would otherwise find out message by message:
 * the queue exists and has a redrive policy, the table exists and is keyed as the items are. An
 * endpoint that does not answer is retried for {@link WorkerSettings#startupRetry()} (a network
 * blip, a restarting endpoint). What is wrong is thrown as a {@link Failed} naming a {@link
 * StartupFailure}; it touches no message.
 */
final class StartupProbe {
  // The worker's logger, so that its lines read as they always have.
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** The {@code maxReceiveCount} of a redrive policy (SQS gives it as a number or a string). */
  private static final Pattern MAX_RECEIVE_COUNT =
      Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d+)");

  private final WorkerSettings settings;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final StopSignal stop;

  StartupProbe(WorkerSettings settings, SqsClient sqs, DynamoDbClient dynamodb, StopSignal stop) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /**
   * What the worker reads of its queue at start-up.
   *
   * @param url the queue's URL
   * @param visibility the queue's visibility timeout
   * @param maxReceiveCount receives after which SQS moves a message to the dead-letter queue, as
   *     the redrive policy gives it ("?" when it cannot be read)
   */
  record Queue(String url, Duration visibility, String maxReceiveCount) {}

  /** A start-up check that failed. */
  static final class Failed extends RuntimeException {
    private final transient StartupFailure failure;

    Failed(StartupFailure failure, Throwable cause) {
      super(failure.toString(), cause);
      this.failure = failure;
    }

    StartupFailure failure() {
      return failure;
    }
  }

  /**
   * Checks the queue, then the table; returns what the worker needs of the queue.
   *
   * @throws Failed when either cannot be drained into, or an endpoint never answered
   */
  Queue probe() {
    String url = untilReachable("SQS", sqs, this::queueUrl);
    Queue queue = untilReachable("SQS", sqs, () -> checkQueue(url));
    untilReachable("DynamoDB", dynamodb, this::checkTable);
    return queue;
  }

  /** The queue's URL: its settings name it by name or by URL. */
  private String queueUrl() {
    String endpoint = endpoint(sqs);
    try {
      return SqsQueues.lookUpUrl(sqs, settings.queue(), endpoint);
    } catch (ConfigException e) {
      // Thrown only for a queue that does not exist; what to tell the user is StartupAdvice's.
      throw new Failed(new StartupFailure.QueueMissing(settings.queue(), endpoint), e);
    }
  }

  /**
   * Reads the queue's visibility timeout and checks that it has a redrive policy. Without one, a
   * message that can never be written (released at once, to reach the dead-letter queue within
   * {@code maxReceiveCount} receives) would be received again and again: the queue would never
   * drain, the worker never idle out, and its tasks never scale to zero.
   */
  private Queue checkQueue(String url) {
    Map<QueueAttributeName, String> attributes;
    try {
      attributes =
          sqs.getQueueAttributes(
                  b ->
                      b.queueUrl(url)
                          .attributeNames(
                              QueueAttributeName.VISIBILITY_TIMEOUT,
                              QueueAttributeName.REDRIVE_POLICY))
              .attributes();
    } catch (QueueDoesNotExistException e) {
      throw new Failed(new StartupFailure.QueueGone(url), e);
    }
    String redrive = attributes.getOrDefault(QueueAttributeName.REDRIVE_POLICY, "");
    if (!redrive.contains("deadLetterTargetArn")) {
      throw new Failed(new StartupFailure.NoRedrivePolicy(settings.queue()), null);
    }
    Matcher count = MAX_RECEIVE_COUNT.matcher(redrive);
    String v = attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT);
    return new Queue(
        url,
        Duration.ofSeconds(v == null ? 30 : Long.parseLong(v)),
        count.find() ? count.group(1) : "?");
  }

  /**
   * Checks that the table exists and that its key is the items' ({@link ItemSchema#expectedKey()}):
   * on a table with another key every write fails DynamoDB's validation, which would send every
   * message to the dead-letter queue as if each were bad.
   */
  private Void checkTable() {
    TableDescription table;
    try {
      table = dynamodb.describeTable(b -> b.tableName(settings.table())).table();
    } catch (ResourceNotFoundException e) {
      throw new Failed(new StartupFailure.TableMissing(settings.table(), endpoint(dynamodb)), e);
    }
    Map<String, String> types = new HashMap<>();
    for (AttributeDefinition a : table.attributeDefinitions()) {
      types.put(a.attributeName(), a.attributeTypeAsString());
    }
    List<ItemSchema.KeyAttribute> key = new ArrayList<>();
    for (KeySchemaElement k : table.keySchema()) {
      key.add(
          new ItemSchema.KeyAttribute(
              k.attributeName(),
              k.keyType() != KeyType.HASH,
              types.getOrDefault(k.attributeName(), "?")));
    }
    Optional<String> mismatch = ItemSchema.keyMismatch(key);
    if (mismatch.isPresent()) {
      throw new Failed(new StartupFailure.KeyMismatch(settings.table(), mismatch.get()), null);
    }
    return null;
  }

  /**
   * Runs a start-up call, retrying while {@code service} does not answer for {@link
   * WorkerSettings#startupRetry()}; then gives up with {@link StartupFailure.NoAnswer}.
   */
  private <T> T untilReachable(String service, SdkClient client, Supplier<T> call) {
    long deadline = System.nanoTime() + settings.startupRetry().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (SdkClientException e) {
        String detail = String.valueOf(e.getMessage());
        if (settings.startupRetry().isZero()) {
          // No retry asked for (a worker run by hand): nothing answering is a setting to fix.
          throw new Failed(new StartupFailure.NotReachable(service, endpoint(client), detail), e);
        }
        if (System.nanoTime() - deadline >= 0 || stop.stopped()) {
          throw new Failed(
              new StartupFailure.NoAnswer(
                  service,
                  endpoint(client),
                  detail,
                  attempt > 1 ? Optional.of(settings.startupRetry()) : Optional.empty()),
              e);
        }
        if (attempt == 1) {
          log.warn(
              "{} is not reachable at {} ({}); retrying for up to {} s",
              service,
              endpoint(client),
              e.getMessage(),
              settings.startupRetry().toSeconds());
        }
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Duration wait =
            settings.writeBackoff().delay(Math.min(attempt - 1, 30), ThreadLocalRandom.current());
        stop.pause(wait.toMillis() > left ? Duration.ofMillis(left) : wait);
      }
    }
  }

  /** Where {@code client} sends its calls, as the user set it or the SDK resolves it. */
  private static String endpoint(SdkClient client) {
    return client
        .serviceClientConfiguration()
        .endpointOverride()
        .map(Object::toString)
        .orElse("the AWS " + client.serviceName() + " endpoint");
  }
}
