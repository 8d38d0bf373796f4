package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Every option away from its default in one stack: a name prefix, an existing VPC without a
 * security group, the fixed policy, reserved concurrency, another image tag, receive count and
 * threshold.
 */
class VariantsTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    SurgeStackProps props =
        SurgeStackProps.builder(Synthesized.lambdaJar())
            .prefix("dev-")
            .network(
                new NetworkProps.ExistingVpc(
                    Synthesized.VPC_ID,
                    Synthesized.SUBNET_IDS,
                    Synthesized.ZONES,
                    Optional.empty(),
                    true))
            .scaling(new ScalingProps("fixed", 300, 10, 6, "surge", "backlog"))
            .reservedConcurrency(1)
            .imageTag("v7")
            .maxReceiveCount(3)
            .alarmThreshold(50)
            .build();
    stack = new SurgeStack(new App(), props);
    template = Template.fromStack(stack);
  }

  @Test
  void prefixGoesInFrontOfTheStackName() {
    assertThat(stack.getStackName()).isEqualTo("dev-Surge");
  }

  @Test
  void prefixGoesInFrontOfEveryResourceName() {
    template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "dev-fasttracksaa"));
    template.hasResourceProperties(
        "AWS::DynamoDB::Table", Map.of("TableName", "dev-fasttracksaa-control"));
    template.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("QueueName", "dev-demo-decoupling-saa"));
    template.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("QueueName", "dev-demo-decoupling-saa-dlq"));
    template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "dev-fasttrack-saa"));
    template.hasResourceProperties(
        "AWS::CloudWatch::Alarm", Map.of("AlarmName", "dev-fasttrack-saa-backlog"));
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("FunctionName", "dev-fasttrack-saa"));
    template.hasResourceProperties(
        "AWS::ECS::Cluster", Map.of("ClusterName", "dev-FastTrack-Saa-Sqs-demo"));
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "Family",
            "dev-fasttrack-saa-td",
            "ContainerDefinitions",
            List.of(Map.of("Name", "dev-fasttrack-saa"))));
    template.hasResourceProperties(
        "AWS::ECR::Repository", Map.of("RepositoryName", "dev-fasttracksaa"));
    template.hasResourceProperties(
        "AWS::Events::Rule", Map.of("Name", "dev-fasttrack-saa-reconcile"));
  }

  @Test
  void anExistingVpcWithoutSecurityGroupGetsANewOneWithNoIngress() {
    template.resourceCountIs("AWS::EC2::VPC", 0);
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Map.of(
            "VpcId",
            Synthesized.VPC_ID,
            "GroupName",
            "dev-fasttrack-saa-ecs-task-sg",
            "SecurityGroupIngress",
            Match.absent()));
  }

  @Test
  void fixedPolicyAndItsFleetSizeReachTheFunction() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Map.of("SURGE_POLICY", "fixed", "SURGE_TASKS", "6"))));
  }

  @Test
  void reservedConcurrencyIsSetWhenGiven() {
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("ReservedConcurrentExecutions", 1));
  }

  @Test
  void imageTagIsTheGivenOne() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            List.of(
                Map.of(
                    "Image",
                    stack.resolve(stack.workers().repository().repositoryUriForTag("v7"))))));
  }

  @Test
  void receiveCountAndThresholdAreTheGivenOnes() {
    template.hasResourceProperties(
        "AWS::SQS::Queue", Map.of("RedrivePolicy", Map.of("maxReceiveCount", 3)));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Threshold", 50));
  }
}
