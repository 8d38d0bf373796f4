package dev.surge.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(StandInsExtension.class)
class ProvisionerIT {
  @Test
  void creatingTwiceConvergesOnTheSameQueueDeadLetterQueueAndTable(StandIns s) {
    AwsClients clients =
        new AwsClients(AwsTarget.local(s.sqsEndpoint(), s.dynamoDbEndpoint()), 2, List.of());
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient ddb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      Provisioner p = new Provisioner(sqs, ddb);
      QueuePair first = p.ensureQueue("prov-q", "prov-q-dlq", QueueOptions.defaults());
      p.ensureTable("prov-t");
      QueuePair second =
          p.ensureQueue("prov-q", "prov-q-dlq", new QueueOptions(Duration.ofSeconds(45), 3));
      p.ensureTable("prov-t");

      assertThat(second).isEqualTo(first);
      Map<QueueAttributeName, String> a =
          sqs.getQueueAttributes(
                  b -> b.queueUrl(first.url()).attributeNames(QueueAttributeName.ALL))
              .attributes();
      assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("45");
      assertThat(a.get(QueueAttributeName.REDRIVE_POLICY))
          .contains(first.deadLetterArn())
          .contains("3");
      TableDescription t = ddb.describeTable(b -> b.tableName("prov-t")).table();
      assertThat(t.keySchema()).hasSize(1);
      assertThat(t.keySchema().get(0).attributeName()).isEqualTo("queueMessage");
      assertThat(t.keySchema().get(0).keyType()).isEqualTo(KeyType.HASH);
      assertThat(t.attributeDefinitions().get(0).attributeType()).isEqualTo(ScalarAttributeType.S);
      assertThat(t.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }
  }
}
