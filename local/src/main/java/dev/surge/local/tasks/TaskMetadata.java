package dev.surge.local.tasks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local task's metadata as Fargate's task metadata endpoint version 4 answers it: the container's
 * ({@code ${ECS_CONTAINER_METADATA_URI_V4}}) and the task's ({@code .../task}), with the names,
 * ARNs and statuses the local ECS gives it. A task's network is this machine's loopback.
 */
final class TaskMetadata {
  private final TaskPlatform platform;

  TaskMetadata(TaskPlatform platform) {
    this.platform = platform;
  }

  /** The task's metadata, its container's included. */
  Map<String, Object> task(TaskDetails d) {
    TaskDefinition def = d.definition();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Cluster", platform.clusterArn());
    m.put("TaskARN", platform.taskArn(d.taskId()));
    m.put("Family", def.family());
    m.put("Revision", Integer.toString(def.revision()));
    m.put("DesiredStatus", d.desiredStatus());
    m.put("KnownStatus", d.lastStatus().name());
    Map<String, Object> limits = new LinkedHashMap<>();
    def.cpu().ifPresent(c -> limits.put("CPU", Integer.parseInt(c) / 1024.0));
    def.memory().ifPresent(mem -> limits.put("Memory", Integer.parseInt(mem)));
    if (!limits.isEmpty()) {
      m.put("Limits", limits);
    }
    d.pendingAt().ifPresent(t -> m.put("PullStartedAt", time(t)));
    d.pendingAt().ifPresent(t -> m.put("PullStoppedAt", time(t)));
    m.put("AvailabilityZone", platform.availabilityZone());
    m.put("LaunchType", "FARGATE");
    m.put("Containers", List.of(container(d)));
    return m;
  }

  /** Its container's metadata. */
  Map<String, Object> container(TaskDetails d) {
    TaskDefinition def = d.definition();
    ContainerSpec c = def.container();
    String taskArn = platform.taskArn(d.taskId());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("DockerId", d.metadataToken() + "-" + c.name());
    m.put("Name", c.name());
    m.put("DockerName", c.name());
    m.put("Image", c.image());
    m.put("ImageID", "");
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("com.amazonaws.ecs.cluster", platform.clusterArn());
    labels.put("com.amazonaws.ecs.container-name", c.name());
    labels.put("com.amazonaws.ecs.task-arn", taskArn);
    labels.put("com.amazonaws.ecs.task-definition-family", def.family());
    labels.put("com.amazonaws.ecs.task-definition-version", Integer.toString(def.revision()));
    m.put("Labels", labels);
    m.put("DesiredStatus", d.desiredStatus());
    m.put("KnownStatus", d.lastStatus().containerStatus());
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("CPU", c.cpu());
    c.memory().ifPresent(mem -> limits.put("Memory", mem));
    m.put("Limits", limits);
    m.put("CreatedAt", time(d.pendingAt().orElse(d.view().startedAt())));
    d.runningAt().ifPresent(t -> m.put("StartedAt", time(t)));
    d.executionStoppedAt().ifPresent(t -> m.put("FinishedAt", time(t)));
    m.put("Type", "NORMAL");
    d.view().exitCode().ifPresent(code -> m.put("ExitCode", code));
    m.put("ContainerARN", platform.containerArn(d.taskId()));
    c.logDriver()
        .ifPresent(
            driver -> {
              m.put("LogDriver", driver);
              Map<String, Object> options = new LinkedHashMap<>(c.logOptions());
              c.logGroup().ifPresent(g -> options.put("awslogs-stream", c.logStream(d.taskId())));
              m.put("LogOptions", options);
            });
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("NetworkMode", def.networkMode().orElse("awsvpc"));
    network.put("IPv4Addresses", List.of("127.0.0.1"));
    m.put("Networks", List.of(network));
    return m;
  }

  private static String time(Instant t) {
    return t.toString();
  }
}
