package dev.surge.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The cluster, the task definition and its container, the image repository, the logs. */
class WorkerTasksTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void clusterHasTheSeedName() {
    template.resourceCountIs("AWS::ECS::Cluster", 1);
    template.hasResourceProperties(
        "AWS::ECS::Cluster", Map.of("ClusterName", "FastTrack-Saa-Sqs-demo"));
  }

  @Test
  void taskDefinitionIsTheSmallestFargateSizeWithAwsvpc() {
    template.resourceCountIs("AWS::ECS::TaskDefinition", 1);
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "Family", "fasttrack-saa-td",
            "Cpu", "256",
            "Memory", "512",
            "NetworkMode", "awsvpc",
            "RequiresCompatibilities", List.of("FARGATE")));
  }

  @Test
  void taskDefinitionHasOneEssentialWorkerContainer() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            Match.exact(
                List.of(Match.objectLike(Map.of("Name", "fasttrack-saa", "Essential", true))))));
  }

  @Test
  void containerHasThirtySecondsToDrainAfterSigterm() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of("ContainerDefinitions", List.of(Map.of("StopTimeout", 30))));
  }

  @Test
  void containerRunsTheLatestImageOfTheStacksRepository() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            List.of(
                Map.of(
                    "Image",
                    stack.resolve(stack.workers().repository().repositoryUriForTag("latest"))))));
  }

  @Test
  void containerEnvironmentNamesQueueTableAndRegion() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            List.of(
                Map.of(
                    "Environment",
                    Match.exact(
                        List.of(
                            Map.of(
                                "Name",
                                "SURGE_QUEUE",
                                "Value",
                                stack.resolve(stack.queue().queue().getQueueUrl())),
                            Map.of(
                                "Name",
                                "SURGE_TABLE",
                                "Value",
                                stack.resolve(stack.table().table().getTableName())),
                            // The heap is sized by the image's JVM options, not here.
                            Map.of(
                                "Name", "AWS_REGION", "Value", Map.of("Ref", "AWS::Region"))))))));
  }

  @Test
  void containerLogsToItsGroupThroughAwslogs() {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            List.of(
                Map.of(
                    "LogConfiguration",
                    Map.of(
                        "LogDriver",
                        "awslogs",
                        "Options",
                        Map.of(
                            "awslogs-group",
                            stack.resolve(stack.workers().logGroup().getLogGroupName())))))));
  }

  @Test
  void workerLogGroupIsKeptOneWeekAndDeletedWithTheStack() {
    template.hasResource(
        "AWS::Logs::LogGroup",
        Map.of(
            "Properties",
            Map.of("LogGroupName", "/ecs/fasttrack-saa-td", "RetentionInDays", 7),
            "DeletionPolicy",
            "Delete"));
  }

  @Test
  void everyLogGroupIsDeletedWithTheStack() {
    template.resourceCountIs("AWS::Logs::LogGroup", 2);
    template.allResources("AWS::Logs::LogGroup", Map.of("DeletionPolicy", "Delete"));
  }

  @Test
  void repositoryHasTheSeedNameAndIsEmptiedAndDeletedWithTheStack() {
    template.hasResource(
        "AWS::ECR::Repository",
        Map.of(
            "Properties",
            Map.of("RepositoryName", "fasttracksaa", "EmptyOnDelete", true),
            "DeletionPolicy",
            "Delete"));
  }
}
