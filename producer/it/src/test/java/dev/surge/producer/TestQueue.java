package dev.surge.producer;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.port.QueueDepth;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One test's own queue and dead-letter queue on the shared stand-ins. */
final class TestQueue implements AutoCloseable {
  final SqsClient sqs;
  final QueuePair queues;
  private final DynamoDbClient dynamodb;

  /** Creates a fresh queue named after {@code prefix}. */
  TestQueue(StandIns standIns, String prefix, QueueOptions options) {
    AwsClients clients =
        new AwsClients(
            AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint()), 16, List.of());
    this.sqs = clients.build(SqsClient.builder(), "SQS");
    this.dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    String queue = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.queues = new Provisioner(sqs, dynamodb).ensureQueue(queue, queue + "-dlq", options);
  }

  /** Visible + in-flight + delayed messages of the queue. */
  long queueCount() {
    QueueDepth d = new SqsBacklogProbe(sqs, queues.url()).depth();
    return d.visible() + d.inFlight() + d.delayed();
  }

  @Override
  public void close() {
    sqs.close();
    dynamodb.close();
  }
}
