package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import dev.surge.local.tasks.ContainerSpec;
import dev.surge.local.tasks.TaskDefinition;
import dev.surge.local.tasks.TaskDetails;
import dev.surge.local.tasks.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local task in ECS's {@code Task} shape: its definition's revision, its container with its
 * status and exit code, its statuses and their times, who started it, its overrides and, once it
 * stopped, its stop code and reason.
 */
final class EcsTaskWire {
  private final LocalChain chain;

  EcsTaskWire(LocalChain chain) {
    this.chain = chain;
  }

  /** {@code d} as {@code DescribeTasks}, {@code RunTask} and {@code StopTask} answer it. */
  Map<String, Object> task(TaskDetails d) {
    String id = d.taskId();
    String arn = chain.taskArn(id);
    TaskDefinition definition = d.definition();
    ContainerSpec spec = definition.container();
    boolean exited = d.executionStoppedAt().isPresent();
    boolean failedToStart =
        d.stopCode().filter(TaskDetails.TASK_FAILED_TO_START::equals).isPresent();
    Map<String, Object> container =
        struct(
            "containerArn", chain.launcher().platform().containerArn(id),
            "taskArn", arn,
            "name", spec.name(),
            "image", spec.image(),
            "lastStatus", d.lastStatus().containerStatus(),
            "exitCode", exited && !failedToStart ? d.view().exitCode() : Optional.empty(),
            "reason", failedToStart ? d.view().stopReason() : Optional.empty(),
            "networkInterfaces", List.of(),
            "healthStatus", "UNKNOWN",
            "cpu", Integer.toString(spec.cpu()),
            "memory", spec.memory().map(m -> Integer.toString(m)));
    int version = d.history().size();
    Optional<Instant> stoppedAt = d.view().stoppedAt();
    List<Object> overrides = new ArrayList<>();
    if (d.request().overrides()) {
      List<Object> environment = new ArrayList<>();
      d.request().environment().forEach((k, v) -> environment.add(struct("name", k, "value", v)));
      overrides.add(
          struct(
              "name",
              spec.name(),
              "command",
              d.request().command(),
              "environment",
              environment.isEmpty() ? Optional.empty() : Optional.of(environment)));
    } else {
      overrides.add(struct("name", spec.name()));
    }
    return struct(
        "attachments", List.of(),
        "availabilityZone", chain.launcher().platform().availabilityZone(),
        "clusterArn", chain.clusterArn(),
        "connectivity", "CONNECTED",
        "connectivityAt", d.view().startedAt(),
        "containers", List.of(container),
        "cpu", definition.cpu(),
        "createdAt", d.view().startedAt(),
        "desiredStatus", d.desiredStatus(),
        "group", d.request().group(),
        "healthStatus", "UNKNOWN",
        "lastStatus", d.lastStatus().name(),
        "launchType", "FARGATE",
        "memory", definition.memory(),
        "overrides",
            struct("containerOverrides", overrides, "inferenceAcceleratorOverrides", List.of()),
        "platformVersion", "1.4.0",
        "platformFamily", "Linux",
        "pullStartedAt", d.pendingAt(),
        "pullStoppedAt", d.pendingAt(),
        "startedAt", d.runningAt(),
        "startedBy", d.request().startedBy(),
        "stopCode", d.lastStatus() == TaskStatus.STOPPED ? d.stopCode() : Optional.empty(),
        "stoppedAt", stoppedAt,
        "executionStoppedAt", d.executionStoppedAt(),
        "stoppedReason", d.view().stopReason(),
        "stoppingAt", d.stoppingAt().or(d::executionStoppedAt),
        "tags", List.of(),
        "taskArn", arn,
        "taskDefinitionArn", chain.taskDefinitionArn(definition),
        "version", version,
        "ephemeralStorage", struct("sizeInGiB", 20));
  }
}
