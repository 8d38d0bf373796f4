package dev.surge.infra;

import dev.surge.core.ResourceNames;
import dev.surge.core.worker.WorkerSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * What a worker task needs: the image repository, the cluster, the task definition with its one
 * container, its log group and its two roles.
 */
final class WorkerTasks extends Construct {

  /**
   * The workers' settings.
   *
   * @param names cluster, family, container and repository names
   * @param imageTag the worker image's tag in the repository
   * @param vpc the VPC of the cluster
   * @param queue the queue the workers drain
   * @param table the table the workers write
   */
  record Props(ResourceNames names, String imageTag, IVpc vpc, IQueue queue, ITable table) {}

  /** 0.25 vCPU: the smallest Fargate size; a worker waits on the network, not the CPU. */
  static final int CPU = dev.surge.core.cost.TaskSize.WORKER.cpuUnits();

  /**
   * 512 MiB, the smallest memory for 0.25 vCPU; the image's JVM options give the worker a fixed
   * heap of at most 64 MB (about 100 MB resident in all).
   */
  static final int MEMORY_MIB = dev.surge.core.cost.TaskSize.WORKER.memoryMib();

  /**
   * ECS sends SIGTERM, then SIGKILL after this; the worker's shutdown grace (25 s by default) must
   * fit inside it.
   */
  static final Duration STOP_TIMEOUT = Duration.seconds(30);

  private final Repository repository;
  private final Cluster cluster;
  private final FargateTaskDefinition taskDefinition;
  private final ContainerDefinition container;
  private final LogGroup logGroup;
  private final Role taskRole;
  private final Role executionRole;

  WorkerTasks(Construct scope, String id, Props props) {
    super(scope, id);
    ResourceNames names = props.names();
    this.repository =
        Repository.Builder.create(this, "Repository")
            .repositoryName(names.repository())
            .removalPolicy(RemovalPolicy.DESTROY)
            // Without it CloudFormation cannot delete a repository that still holds images.
            .emptyOnDelete(true)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .description("Keep the 10 newest images")
                        .maxImageCount(10)
                        .build()))
            .build();
    this.cluster =
        Cluster.Builder.create(this, "Cluster")
            .clusterName(names.cluster())
            .vpc(props.vpc())
            .build();
    this.logGroup =
        LogGroup.Builder.create(this, "LogGroup")
            .logGroupName("/ecs/" + names.taskFamily())
            .retention(RetentionDays.ONE_WEEK)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    this.taskRole = taskRole(props);
    // Image pull and log writes are granted below by CDK, scoped to this repository and log group;
    // AmazonECSTaskExecutionRolePolicy would grant the same actions on every repository and group.
    this.executionRole =
        Role.Builder.create(this, "ExecutionRole")
            .description("Surge worker task execution: pull the worker image, write its logs")
            .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
            .build();
    this.taskDefinition =
        FargateTaskDefinition.Builder.create(this, "TaskDefinition")
            .family(names.taskFamily())
            .cpu(CPU)
            .memoryLimitMiB(MEMORY_MIB)
            .runtimePlatform(
                RuntimePlatform.builder()
                    .cpuArchitecture(CpuArchitecture.X86_64)
                    .operatingSystemFamily(OperatingSystemFamily.LINUX)
                    .build())
            .taskRole(taskRole)
            .executionRole(executionRole)
            .build();
    this.container =
        taskDefinition.addContainer(
            "Worker",
            ContainerDefinitionOptions.builder()
                .containerName(names.container())
                .image(ContainerImage.fromEcrRepository(repository, props.imageTag()))
                .essential(true)
                .stopTimeout(STOP_TIMEOUT)
                .logging(
                    LogDrivers.awsLogs(
                        AwsLogDriverProps.builder()
                            .logGroup(logGroup)
                            .streamPrefix("worker")
                            .build()))
                .environment(environment(props))
                .build());
  }

  private Map<String, String> environment(Props props) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(WorkerSettings.QUEUE, props.queue().getQueueUrl());
    env.put(WorkerSettings.TABLE, props.table().getTableName());
    env.put("AWS_REGION", Stack.of(this).getRegion());
    return env;
  }

  private Role taskRole(Props props) {
    Role role =
        Role.Builder.create(this, "TaskRole")
            .description("Surge worker task: drain the queue into the table")
            .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
            .build();
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("DrainQueue")
            .actions(
                List.of(
                    "sqs:ReceiveMessage",
                    // Also covers DeleteMessageBatch: only messages whose items were written.
                    "sqs:DeleteMessage",
                    // The heartbeat that extends a held message's visibility, and its release on
                    // SIGTERM (single and batch calls).
                    "sqs:ChangeMessageVisibility",
                    // The idle check: the queue's approximate depth before exiting.
                    "sqs:GetQueueAttributes"))
            .resources(List.of(props.queue().getQueueArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("WriteItems")
            .actions(
                List.of(
                    "dynamodb:BatchWriteItem",
                    // The per-item fallback that isolates an invalid item from its batch.
                    "dynamodb:PutItem",
                    // The startup check: a missing table exits 2 before any message is received.
                    "dynamodb:DescribeTable"))
            .resources(List.of(props.table().getTableArn()))
            .build());
    return role;
  }

  Repository repository() {
    return repository;
  }

  Cluster cluster() {
    return cluster;
  }

  FargateTaskDefinition taskDefinition() {
    return taskDefinition;
  }

  ContainerDefinition container() {
    return container;
  }

  LogGroup logGroup() {
    return logGroup;
  }

  Role taskRole() {
    return taskRole;
  }

  Role executionRole() {
    return executionRole;
  }
}
