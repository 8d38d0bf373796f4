package dev.surge.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/** The work queue and its dead-letter queue. */
final class WorkQueue extends Construct {

  /**
   * The queue's settings.
   *
   * @param name the work queue
   * @param deadLetterName the queue that receives poison messages
   * @param maxReceiveCount receives before a message is moved to the dead-letter queue
   */
  record Props(String name, String deadLetterName, int maxReceiveCount) {}

  /**
   * A received message stays invisible this long; the worker extends it with a heartbeat while it
   * holds the message, so this only bounds how soon a crashed worker's messages come back.
   */
  static final Duration VISIBILITY_TIMEOUT = Duration.seconds(60);

  /** The longest SQS keeps a message: time to inspect poison messages after a demo. */
  static final Duration DEAD_LETTER_RETENTION = Duration.days(14);

  private final Queue queue;
  private final Queue deadLetterQueue;

  WorkQueue(Construct scope, String id, Props props) {
    super(scope, id);
    this.deadLetterQueue =
        Queue.Builder.create(this, "DeadLetterQueue")
            .queueName(props.deadLetterName())
            .retentionPeriod(DEAD_LETTER_RETENTION)
            // SQS-managed keys: encrypted at rest with no KMS key policy or kms:* grants to manage.
            .encryption(QueueEncryption.SQS_MANAGED)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    this.queue =
        Queue.Builder.create(this, "Queue")
            .queueName(props.name())
            .visibilityTimeout(VISIBILITY_TIMEOUT)
            .encryption(QueueEncryption.SQS_MANAGED)
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(props.maxReceiveCount())
                    .build())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
  }

  Queue queue() {
    return queue;
  }

  Queue deadLetterQueue() {
    return deadLetterQueue;
  }
}
