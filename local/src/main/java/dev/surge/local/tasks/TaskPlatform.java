package dev.surge.local.tasks;

import dev.surge.aws.AwsTarget;
import dev.surge.core.ResourceNames;
import dev.surge.core.cost.TaskSize;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the launcher's tasks run, as ECS would name it: the region, the account, the cluster and
 * the chain's task definition, the ARNs of them all, and the one AWS endpoint a task of the user's
 * definitions is pointed at ({@code AWS_ENDPOINT_URL}).
 *
 * @param region the region of every ARN
 * @param account the account of every ARN
 * @param names the chain's names (its cluster, task family, container and repository)
 * @param registeredAt when the chain's task definition was registered
 * @param endpoint the local cloud's one AWS endpoint, if it has one
 */
public record TaskPlatform(
    String region,
    String account,
    ResourceNames names,
    Instant registeredAt,
    Optional<URI> endpoint) {

  /** The local account, as in ElasticMQ's queue URLs. */
  public static final String LOCAL_ACCOUNT = "000000000000";

  /** Requires every part. */
  public TaskPlatform {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(registeredAt, "registeredAt");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** The seed's names in the local account, without an AWS endpoint. */
  public static TaskPlatform seed(String region, Instant registeredAt) {
    return new TaskPlatform(
        region, LOCAL_ACCOUNT, ResourceNames.seed(), registeredAt, Optional.empty());
  }

  public String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
  }

  public String clusterArn() {
    return arn("ecs", "cluster/" + names.cluster());
  }

  public String taskArn(String taskId) {
    return arn("ecs", "task/" + names.cluster() + "/" + taskId);
  }

  public String taskDefinitionArn(TaskDefinition d) {
    return arn("ecs", "task-definition/" + d.name());
  }

  /** A container's ARN: stable for its task. */
  public String containerArn(String taskId) {
    return arn(
        "ecs",
        "container/"
            + names.cluster()
            + "/"
            + taskId
            + "/"
            + UUID.nameUUIDFromBytes(taskArn(taskId).getBytes(StandardCharsets.UTF_8)));
  }

  /** The one availability zone of the local cloud. */
  public String availabilityZone() {
    return region + "a";
  }

  /**
   * What the AWS SDKs, boto3 and the aws CLI of a task of the user's need to reach the local cloud:
   * {@code AWS_ENDPOINT_URL}, the region and the local credentials.
   */
  Map<String, String> clientEnvironment() {
    return endpoint
        .map(uri -> new AwsTarget(region, Map.of("", uri), true).toEnvironment())
        .orElseGet(() -> new AwsTarget(region, Map.of(), true).toEnvironment());
  }

  private Map<String, String> logOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("awslogs-group", "/ecs/" + names.taskFamily());
    options.put("awslogs-region", region);
    options.put("awslogs-stream-prefix", "worker");
    return options;
  }

  /**
   * The chain's own definition, revision 1 of its family: the worker's command as its {@code
   * entryPoint}, the environment every worker task gets, the stack's {@code awslogs} configuration,
   * and the image the stack would build ({@code <repository>:local}, not pulled).
   */
  TaskDefinition workerDefinition(LauncherSettings settings, WorkerCommand command) {
    ContainerSpec container =
        new ContainerSpec(
            names.container(),
            names.repository() + ":local",
            command.command(),
            List.of(),
            TaskEnvironment.common(settings),
            true,
            Optional.of((int) settings.stopTimeout().toSeconds()),
            Optional.of("awslogs"),
            logOptions(),
            0,
            Optional.empty(),
            Optional.empty());
    return new TaskDefinition(
        names.taskFamily(),
        1,
        container,
        Optional.of(Integer.toString(TaskSize.WORKER.cpuUnits())),
        Optional.of(Integer.toString(TaskSize.WORKER.memoryMib())),
        Optional.of("awsvpc"),
        List.of("FARGATE"),
        Optional.empty(),
        Optional.empty(),
        registeredAt,
        true);
  }
}
