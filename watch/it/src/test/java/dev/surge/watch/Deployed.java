package dev.surge.watch;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.ItemSchema;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import dev.surge.testing.AwsStub;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A "deployed stack" for one test: its own queue, dead-letter queue and table on the shared
 * stand-ins (provisioned as the CLI does), CloudWatch and ECS on an HTTP stub, and the stack
 * outputs that name them.
 */
final class Deployed implements AutoCloseable {
  static final String CLUSTER = "FastTrack-Saa-Sqs-demo";
  static final String CONTAINER = "fasttrack-saa";

  final AwsStub stub = new AwsStub();
  final AwsClients clients;
  final SqsClient sqs;
  final DynamoDbClient dynamodb;
  final String name;
  final QueuePair queues;
  final StackOutputs outputs;

  Deployed(StandIns standIns, String prefix) {
    AwsTarget target =
        new AwsTarget(
            "us-east-1",
            Map.of(
                "SQS", standIns.sqsEndpoint(),
                "DYNAMODB", standIns.dynamoDbEndpoint(),
                "ECS", stub.endpoint(),
                "CLOUDWATCH", stub.endpoint(),
                "LOGS", stub.endpoint()),
            true);
    this.clients = new AwsClients(target, 2, List.of());
    this.sqs = clients.build(SqsClient.builder(), "SQS");
    this.dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
    this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Provisioner p = new Provisioner(sqs, dynamodb);
    this.queues = p.ensureQueue(name, name + "-dlq", QueueOptions.defaults());
    p.ensureTable(name);
    Map<String, String> o = StackOutputsFixture.deployedOutputs();
    o.put("QueueUrl", queues.url());
    o.put("DeadLetterQueueUrl", queues.deadLetterUrl());
    o.put("TableName", name);
    o.put("AlarmName", name + "-backlog");
    o.put("ClusterName", CLUSTER);
    o.put("ContainerName", CONTAINER);
    this.outputs = StackOutputs.of("TestSurge", "us-east-1", "CREATE_COMPLETE", o);
    // Empty log groups until a test says otherwise (later stubs take precedence).
    stub.server.stubFor(
        AwsStub.logs("FilterLogEvents")
            .willReturn(
                AwsStub.json(Map.of("events", List.of(), "searchedLogStreams", List.of()))));
  }

  /** Sends {@code n} messages to the work queue. */
  void send(int n) {
    for (int i = 0; i < n; i++) {
      String body = "message-" + i;
      sqs.sendMessage(b -> b.queueUrl(queues.url()).messageBody(body));
    }
  }

  /** Sends {@code n} messages straight to the dead-letter queue. */
  void sendDeadLetters(int n) {
    for (int i = 0; i < n; i++) {
      String body = "poison-" + i;
      sqs.sendMessage(b -> b.queueUrl(queues.deadLetterUrl()).messageBody(body));
    }
  }

  /** Writes {@code n} items to the table. */
  void putItems(int n) {
    for (int i = 0; i < n; i++) {
      String key = "item-" + i;
      dynamodb.putItem(
          b ->
              b.tableName(name)
                  .item(
                      Map.of(
                          ItemSchema.KEY, AttributeValue.fromS(key),
                          ItemSchema.HOST, AttributeValue.fromS("10.0.1.184"))));
    }
  }

  @Override
  public void close() {
    sqs.close();
    dynamodb.close();
    stub.close();
  }
}
