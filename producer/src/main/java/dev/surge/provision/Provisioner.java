package dev.surge.provision;

import dev.surge.core.item.ItemSchema;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the queue (with its dead-letter queue and redrive policy) and the table, idempotently:
 * running it again on existing resources changes nothing but the queue settings it owns.
 */
public final class Provisioner {
  private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;

  /** Provisions through these clients. */
  public Provisioner(SqsClient sqs, DynamoDbClient dynamodb) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.dynamodb = Objects.requireNonNull(dynamodb, "dynamodb");
  }

  /** Creates or updates {@code name} and its dead-letter queue {@code deadLetterName}. */
  public QueuePair ensureQueue(String name, String deadLetterName, QueueOptions options) {
    // CreateQueue without attributes returns the existing URL when the queue exists; the settings
    // are then applied with SetQueueAttributes, so a re-run converges instead of failing.
    String dlqUrl = sqs.createQueue(b -> b.queueName(deadLetterName)).queueUrl();
    String dlqArn =
        sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    String redrive =
        "{\"deadLetterTargetArn\":\""
            + dlqArn
            + "\",\"maxReceiveCount\":\""
            + options.maxReceiveCount()
            + "\"}";
    sqs.setQueueAttributes(
        b ->
            b.queueUrl(url)
                .attributes(
                    Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT,
                        Long.toString(options.visibilityTimeout().toSeconds()),
                        QueueAttributeName.REDRIVE_POLICY,
                        redrive)));
    log.debug("queue {} ready (dead-letter queue {})", url, dlqUrl);
    return new QueuePair(url, dlqUrl, dlqArn);
  }

  /**
   * Creates the table ({@code queueMessage} String key, on-demand) if absent; waits until ACTIVE.
   */
  public void ensureTable(String name) {
    ensureTable(name, ItemSchema.KEY, ScalarAttributeType.fromValue(ItemSchema.KEY_TYPE));
  }

  /**
   * Creates the trigger's control table ({@code fleet} String key, on-demand, as the stack defines
   * it; see {@link ControlSchema}) if absent; waits until ACTIVE.
   */
  public void ensureControlTable(String name) {
    ensureTable(name, ControlSchema.KEY, ScalarAttributeType.S);
  }

  private void ensureTable(String name, String key, ScalarAttributeType keyType) {
    try {
      dynamodb.createTable(
          b ->
              b.tableName(name)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(key)
                          .attributeType(keyType)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build()));
      log.debug("table {} created", name);
    } catch (ResourceInUseException e) {
      log.debug("table {} exists", name);
    }
    awaitActive(name, Duration.ofSeconds(120));
  }

  // The SDK's waiter polls every 20 s; a local table is ACTIVE within milliseconds.
  private void awaitActive(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMs = 20;
    while (true) {
      TableStatus status = dynamodb.describeTable(b -> b.tableName(name)).table().tableStatus();
      if (status == TableStatus.ACTIVE) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "table " + name + " is still " + status + " after " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for table " + name, e);
      }
      pauseMs = Math.min(1000, pauseMs * 2);
    }
  }
}
