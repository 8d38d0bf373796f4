package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.core.cost.TaskSize;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.local.tasks.LauncherSettings;
import dev.surge.local.tasks.TaskDetails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * ECS over the process launcher: one cluster, the worker's task definition (the command the
 * launcher runs, its environment and log configuration), and every task the launcher started, with
 * its states, times, exit code and stop reason. Each task runs the definition's {@code entryPoint}
 * as a process of this machine: there is no image, so the container's {@code image} only names the
 * stack's repository.
 */
final class EcsApi implements Service {
  private final LocalChain chain;

  EcsApi(LocalChain chain) {
    this.chain = chain;
  }

  @Override
  public String signingName() {
    return "ecs";
  }

  @Override
  public String title() {
    return "ECS";
  }

  @Override
  public List<String> operations() {
    return List.of(
        "ListClusters",
        "DescribeClusters",
        "ListTaskDefinitions",
        "DescribeTaskDefinition",
        "ListTasks",
        "DescribeTasks");
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    return switch (request.operation()) {
      case "ListClusters" -> struct("clusterArns", List.of(chain.clusterArn()));
      case "DescribeClusters" -> describeClusters(in);
      case "ListTaskDefinitions" -> listTaskDefinitions(in);
      case "DescribeTaskDefinition" -> describeTaskDefinition(in);
      case "ListTasks" -> listTasks(in);
      case "DescribeTasks" -> describeTasks(in);
      default -> throw new IllegalStateException(request.operation());
    };
  }

  // --- clusters ----------------------------------------------------------------------------------

  private boolean isCluster(String ref) {
    return ref.equals(chain.names().cluster()) || ref.equals(chain.clusterArn());
  }

  /** Checks that {@code cluster} (default {@code default}) is the local one. */
  private void cluster(JsonNode in) {
    if (!isCluster(Params.text(in, "cluster").orElse("default"))) {
      throw new ApiException("ClusterNotFoundException", "Cluster not found.", 400);
    }
  }

  private Map<String, Object> describeClusters(JsonNode in) {
    List<String> refs = Params.texts(in, "clusters");
    if (refs.isEmpty()) {
      refs = List.of("default");
    }
    List<Object> clusters = new ArrayList<>();
    List<Object> failures = new ArrayList<>();
    for (String ref : refs) {
      if (isCluster(ref)) {
        clusters.add(cluster());
      } else {
        String arn = ref.startsWith("arn:") ? ref : chain.arn("ecs", "cluster/" + ref);
        failures.add(struct("arn", arn, "reason", "MISSING"));
      }
    }
    return struct("clusters", clusters, "failures", failures);
  }

  private Map<String, Object> cluster() {
    int running = 0;
    int pending = 0;
    for (TaskView t : chain.launcher().tasks()) {
      if (t.state() == TaskState.RUNNING) {
        running++;
      } else if (t.state() == TaskState.PROVISIONING) {
        pending++;
      }
    }
    return struct(
        "clusterArn", chain.clusterArn(),
        "clusterName", chain.names().cluster(),
        "status", "ACTIVE",
        "registeredContainerInstancesCount", 0,
        "runningTasksCount", running,
        "pendingTasksCount", pending,
        "activeServicesCount", 0,
        "statistics", List.of(),
        "tags", List.of(),
        "settings", List.of(struct("name", "containerInsights", "value", "disabled")),
        "capacityProviders", List.of(),
        "defaultCapacityProviderStrategy", List.of());
  }

  // --- the task definition -----------------------------------------------------------------------

  private boolean isTaskDefinition(String ref) {
    String family = chain.names().taskFamily();
    return ref.equals(family) || ref.equals(family + ":1") || ref.equals(chain.taskDefinitionArn());
  }

  private Map<String, Object> listTaskDefinitions(JsonNode in) {
    String family = chain.names().taskFamily();
    boolean listed =
        Params.text(in, "familyPrefix").map(family::startsWith).orElse(true)
            && Params.text(in, "status").orElse("ACTIVE").equals("ACTIVE");
    return struct("taskDefinitionArns", listed ? List.of(chain.taskDefinitionArn()) : List.of());
  }

  private Map<String, Object> describeTaskDefinition(JsonNode in) {
    String ref = Params.required(in, "taskDefinition", "ClientException");
    if (!isTaskDefinition(ref)) {
      throw new ApiException("ClientException", "Unable to describe task definition.", 400);
    }
    return struct("taskDefinition", taskDefinition(), "tags", List.of());
  }

  private Map<String, Object> taskDefinition() {
    LauncherSettings s = chain.launcher().settings();
    List<Object> environment = new ArrayList<>();
    chain
        .launcher()
        .environment()
        .forEach((k, v) -> environment.add(struct("name", k, "value", v)));
    Map<String, Object> container =
        struct(
            "name",
            chain.names().container(),
            "image",
            image(),
            "cpu",
            0,
            "essential",
            true,
            "entryPoint",
            chain.launcher().command().command(),
            "environment",
            environment,
            "stopTimeout",
            (int) s.stopTimeout().toSeconds(),
            "logConfiguration",
            struct(
                "logDriver",
                "awslogs",
                "options",
                struct(
                    "awslogs-group", chain.taskLogGroup(),
                    "awslogs-region", chain.region(),
                    "awslogs-stream-prefix", "worker")));
    return struct(
        "taskDefinitionArn", chain.taskDefinitionArn(),
        "containerDefinitions", List.of(container),
        "family", chain.names().taskFamily(),
        "networkMode", "awsvpc",
        "revision", 1,
        "volumes", List.of(),
        "placementConstraints", List.of(),
        "status", "ACTIVE",
        "requiresCompatibilities", List.of("FARGATE"),
        "compatibilities", List.of("EC2", "FARGATE"),
        "runtimePlatform", struct("cpuArchitecture", "X86_64", "operatingSystemFamily", "LINUX"),
        "cpu", Integer.toString(TaskSize.WORKER.cpuUnits()),
        "memory", Integer.toString(TaskSize.WORKER.memoryMib()),
        "registeredAt", chain.createdAt());
  }

  /** What the container's image would be in the stack; locally nothing is pulled. */
  private String image() {
    return chain.names().repository() + ":local";
  }

  // --- tasks -------------------------------------------------------------------------------------

  private Map<String, Object> listTasks(JsonNode in) {
    cluster(in);
    Optional<String> startedBy = Params.text(in, "startedBy");
    Optional<String> family = Params.text(in, "family");
    Optional<String> desired = Params.text(in, "desiredStatus");
    Optional<String> service = Params.text(in, "serviceName");
    Optional<String> instance = Params.text(in, "containerInstance");
    if (startedBy.isPresent()
        && (family.isPresent()
            || desired.isPresent()
            || service.isPresent()
            || instance.isPresent())) {
      // "When you specify startedBy as the filter, it must be the only filter that you use."
      throw new ApiException(
          "InvalidParameterException",
          "startedBy must be the only filter of ListTasks; it was combined with containerInstance,"
              + " family, serviceName or desiredStatus",
          400);
    }
    String status = desired.orElse("RUNNING");
    if (!List.of("RUNNING", "PENDING", "STOPPED").contains(status)) {
      throw new ApiException(
          "InvalidParameterException", "desiredStatus must be RUNNING, PENDING or STOPPED", 400);
    }
    boolean ours =
        startedBy.map(EcsVariables.DEFAULT_STARTED_BY::equals).orElse(true)
            && family.map(chain.names().taskFamily()::equals).orElse(true)
            && service.isEmpty()
            && instance.isEmpty()
            && Params.text(in, "launchType").orElse("FARGATE").equals("FARGATE");
    List<Object> arns = new ArrayList<>();
    if (ours) {
      for (TaskDetails t : chain.launcher().details()) {
        // PENDING is a valid filter that lists nothing (ECS API Reference, ListTasks).
        if (desiredStatus(t).equals(status)) {
          arns.add(chain.taskArn(t.view().taskId()));
        }
      }
    }
    return struct("taskArns", arns);
  }

  private Map<String, Object> describeTasks(JsonNode in) {
    cluster(in);
    List<String> refs = Params.texts(in, "tasks");
    if (refs.isEmpty()) {
      throw new ApiException("InvalidParameterException", "Tasks cannot be empty.", 400);
    }
    List<TaskDetails> all = chain.launcher().details();
    List<Object> tasks = new ArrayList<>();
    List<Object> failures = new ArrayList<>();
    for (String ref : refs) {
      String id = ref.substring(ref.lastIndexOf('/') + 1);
      Optional<TaskDetails> t = all.stream().filter(d -> d.view().taskId().equals(id)).findFirst();
      boolean inCluster = !ref.startsWith("arn:") || ref.equals(chain.taskArn(id));
      if (t.isPresent() && inCluster) {
        tasks.add(task(t.get()));
      } else {
        failures.add(
            struct("arn", ref.startsWith("arn:") ? ref : chain.taskArn(id), "reason", "MISSING"));
      }
    }
    return struct("tasks", tasks, "failures", failures);
  }

  /** RUNNING until the task stops or is asked to stop, then STOPPED. */
  private static String desiredStatus(TaskDetails t) {
    return t.view().state() == TaskState.STOPPED || t.stoppingAt().isPresent()
        ? "STOPPED"
        : "RUNNING";
  }

  private Map<String, Object> task(TaskDetails d) {
    TaskView v = d.view();
    String arn = chain.taskArn(v.taskId());
    boolean stopped = v.state() == TaskState.STOPPED;
    Map<String, Object> container =
        struct(
            "containerArn",
                chain.arn(
                    "ecs",
                    "container/"
                        + chain.names().cluster()
                        + "/"
                        + v.taskId()
                        + "/"
                        + UUID.nameUUIDFromBytes(arn.getBytes(StandardCharsets.UTF_8))),
            "taskArn", arn,
            "name", chain.names().container(),
            "image", image(),
            "lastStatus", v.state().name(),
            "exitCode", stopped ? v.exitCode() : Optional.empty(),
            "networkInterfaces", List.of(),
            "healthStatus", "UNKNOWN",
            "cpu", "0");
    int version =
        1
            + (d.runningAt().isPresent() ? 1 : 0)
            + (d.stoppingAt().isPresent() ? 1 : 0)
            + (stopped ? 1 : 0);
    Optional<Instant> stoppedAt = v.stoppedAt();
    return struct(
        "attachments", List.of(),
        "availabilityZone", chain.region() + "a",
        "clusterArn", chain.clusterArn(),
        "connectivity", "CONNECTED",
        "connectivityAt", v.startedAt(),
        "containers", List.of(container),
        "cpu", Integer.toString(TaskSize.WORKER.cpuUnits()),
        "createdAt", v.startedAt(),
        "desiredStatus", desiredStatus(d),
        "group", "family:" + chain.names().taskFamily(),
        "healthStatus", "UNKNOWN",
        "lastStatus", v.state().name(),
        "launchType", "FARGATE",
        "memory", Integer.toString(TaskSize.WORKER.memoryMib()),
        "overrides",
            struct(
                "containerOverrides",
                List.of(struct("name", chain.names().container())),
                "inferenceAcceleratorOverrides",
                List.of()),
        "platformVersion", "1.4.0",
        "platformFamily", "Linux",
        "startedAt", d.runningAt(),
        "startedBy", EcsVariables.DEFAULT_STARTED_BY,
        "stopCode",
            stopped
                ? Optional.of(
                    d.stoppingAt().isPresent() ? "UserInitiated" : "EssentialContainerExited")
                : Optional.empty(),
        "stoppedAt", stoppedAt,
        "executionStoppedAt", stoppedAt,
        "stoppedReason", v.stopReason(),
        "stoppingAt", d.stoppingAt().or(() -> stoppedAt),
        "tags", List.of(),
        "taskArn", arn,
        "taskDefinitionArn", chain.taskDefinitionArn(),
        "version", version,
        "ephemeralStorage", struct("sizeInGiB", 20));
  }
}
