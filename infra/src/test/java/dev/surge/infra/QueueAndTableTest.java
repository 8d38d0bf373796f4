package dev.surge.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The item table, the control table, the work queue and its dead-letter queue. */
class QueueAndTableTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void tableIsKeyedByTheMessageBodyAndBilledOnDemand() {
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName",
            "fasttracksaa",
            "KeySchema",
            List.of(Map.of("AttributeName", "queueMessage", "KeyType", "HASH")),
            "AttributeDefinitions",
            List.of(Map.of("AttributeName", "queueMessage", "AttributeType", "S")),
            "BillingMode",
            "PAY_PER_REQUEST"));
  }

  @Test
  void thereAreExactlyTwoTables() {
    template.resourceCountIs("AWS::DynamoDB::Table", 2);
  }

  @Test
  void theControlTableIsKeyedByTheFleetNamedAfterTheItemTableAndBilledOnDemand() {
    template.hasResourceProperties(
        "AWS::DynamoDB::Table",
        Map.of(
            "TableName",
            "fasttracksaa-control",
            "KeySchema",
            List.of(Map.of("AttributeName", "fleet", "KeyType", "HASH")),
            "AttributeDefinitions",
            List.of(Map.of("AttributeName", "fleet", "AttributeType", "S")),
            "BillingMode",
            "PAY_PER_REQUEST"));
  }

  @Test
  void bothTablesAreDeletedWithTheStack() {
    template.allResources(
        "AWS::DynamoDB::Table",
        Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete"));
  }

  @Test
  void thereAreExactlyTwoQueues() {
    template.resourceCountIs("AWS::SQS::Queue", 2);
  }

  @Test
  void workQueueHasTheSeedNameAndA60SecondVisibilityTimeout() {
    template.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("QueueName", "demo-decoupling-saa", "VisibilityTimeout", 60));
  }

  @Test
  void workQueueRedrivesToTheDeadLetterQueueAfterFiveReceives() {
    template.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of(
            "QueueName",
            "demo-decoupling-saa",
            "RedrivePolicy",
            Map.of(
                "deadLetterTargetArn",
                stack.resolve(stack.queue().deadLetterQueue().getQueueArn()),
                "maxReceiveCount",
                5)));
  }

  @Test
  void deadLetterQueueKeepsMessagesFourteenDays() {
    template.hasResourceProperties(
        "AWS::SQS::Queue",
        Map.of(
            "QueueName",
            "demo-decoupling-saa-dlq",
            "MessageRetentionPeriod",
            14 * 24 * 3600,
            "RedrivePolicy",
            Match.absent()));
  }

  @Test
  void bothQueuesAreEncryptedWithSqsManagedKeys() {
    template.allResourcesProperties(
        "AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true, "KmsMasterKeyId", Match.absent()));
  }

  @Test
  void bothQueuesAreDeletedWithTheStack() {
    template.allResources(
        "AWS::SQS::Queue", Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete"));
  }
}
