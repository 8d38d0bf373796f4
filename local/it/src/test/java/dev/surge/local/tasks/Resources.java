package dev.surge.local.tasks;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One test's own queue and table on the shared stand-ins, provisioned as the CLI does. */
final class Resources implements AutoCloseable {
  final AwsTarget target;
  final SqsClient sqs;
  final DynamoDbClient dynamodb;
  final String name;
  final QueuePair queues;

  Resources(StandIns standIns, String prefix) {
    this.target = AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint());
    AwsClients clients = new AwsClients(target, 8, List.of());
    this.sqs = clients.build(SqsClient.builder(), "SQS");
    this.dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Provisioner p = new Provisioner(sqs, dynamodb);
    this.queues = p.ensureQueue(name, name + "-dlq", QueueOptions.defaults());
    p.ensureTable(name);
  }

  /** Sends {@code n} messages with distinct bodies. */
  void produce(int n) {
    new Producer(sqs, queues.url(), Backoff.standard())
        .produce(n, 2, Optional.empty(), new UniqueBodies(new SplittableRandom(7)), k -> {});
  }

  /** Items in the table by the host that wrote them. */
  Map<String, Long> itemsPerHost() {
    Map<String, Long> perHost = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r = dynamodb.scan(b -> b.tableName(name).exclusiveStartKey(from));
      r.items().forEach(i -> perHost.merge(i.get(ItemSchema.HOST).s(), 1L, Long::sum));
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return perHost;
  }

  @Override
  public void close() {
    sqs.close();
    dynamodb.close();
  }
}
