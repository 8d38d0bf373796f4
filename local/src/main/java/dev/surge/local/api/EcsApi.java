package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.port.LaunchFailure;
import dev.surge.local.tasks.ContainerSpec;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.TaskDefinition;
import dev.surge.local.tasks.TaskDetails;
import dev.surge.local.tasks.TaskRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ECS over the process launcher: one cluster, the task definitions ({@link EcsTaskDefinitions}),
 * and the tasks: {@code RunTask} starts a definition's container as a process of this machine,
 * {@code StopTask} stops one as ECS does (SIGTERM, then SIGKILL after the container's stop
 * timeout), and {@code ListTasks} and {@code DescribeTasks} report every task the launcher started,
 * the chain's function's included, with its statuses, times, exit code and stop code. There is no
 * image: a container's {@code image} is recorded, and its {@code entryPoint} and {@code command}
 * run.
 */
final class EcsApi implements Service {
  /** The most tasks one {@code RunTask} starts. */
  static final int MAX_COUNT = 10;

  private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_/-]{1,128}");
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,64}");

  private final LocalChain chain;
  private final EcsTaskDefinitions definitions;
  private final ClientTokens tokens = new ClientTokens();
  private final EcsTaskWire wire;

  EcsApi(LocalChain chain) {
    this.chain = chain;
    this.definitions = new EcsTaskDefinitions(chain);
    this.wire = new EcsTaskWire(chain);
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
        "DescribeTasks",
        "RegisterTaskDefinition",
        "RunTask",
        "StopTask");
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    return switch (request.operation()) {
      case "ListClusters" -> struct("clusterArns", List.of(chain.clusterArn()));
      case "DescribeClusters" -> describeClusters(in);
      case "ListTaskDefinitions" -> definitions.list(in);
      case "DescribeTaskDefinition" -> definitions.describe(in);
      case "RegisterTaskDefinition" -> definitions.register(in);
      case "ListTasks" -> listTasks(in);
      case "DescribeTasks" -> describeTasks(in);
      case "RunTask" -> runTask(in);
      case "StopTask" -> stopTask(in);
      default -> throw new IllegalStateException(request.operation());
    };
  }

  private static ApiException invalid(String message) {
    return new ApiException("InvalidParameterException", message, 400);
  }

  private ProcessTaskLauncher launcher() {
    return chain.launcher();
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
    for (TaskDetails t : launcher().details()) {
      switch (t.lastStatus()) {
        case RUNNING -> running++;
        case PROVISIONING, PENDING -> pending++;
        default -> {}
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

  // --- running and stopping tasks ----------------------------------------------------------------

  private Map<String, Object> runTask(JsonNode in) {
    cluster(in);
    String ref =
        Params.text(in, "taskDefinition")
            .filter(s -> !s.isEmpty())
            .orElseThrow(() -> invalid("taskDefinition must be specified."));
    int count = Params.integer(in, "count", "InvalidParameterException").orElse(1);
    if (count < 1 || count > MAX_COUNT) {
      throw invalid("count must be between 1 and " + MAX_COUNT + ", was " + count + ".");
    }
    Optional<String> startedBy = Params.text(in, "startedBy");
    if (startedBy.isPresent() && !STARTED_BY.matcher(startedBy.get()).matches()) {
      throw invalid(
          "startedBy may have up to 128 letters, numbers, hyphens, forward slashes and"
              + " underscores.");
    }
    Optional<String> launchType = Params.text(in, "launchType");
    if (launchType.isPresent() && !launchType.get().equals("FARGATE")) {
      throw invalid(
          "The local cluster runs FARGATE tasks only; launchType was " + launchType.get() + ".");
    }
    Optional<String> token = Params.text(in, "clientToken");
    if (token.isPresent() && !TOKEN.matcher(token.get()).matches()) {
      throw invalid("clientToken must be 1 to 64 ASCII characters from 33 to 126.");
    }
    TaskDefinition definition =
        definitions.find(ref).orElseThrow(() -> invalid("TaskDefinition not found."));
    TaskRequest request = request(in, definition, startedBy);
    if (token.isEmpty()) {
      return run(request, count, Optional.empty(), in);
    }
    ObjectNode withoutToken = ((ObjectNode) in).deepCopy();
    withoutToken.remove("clientToken");
    synchronized (tokens) {
      Optional<ClientTokens.Use> earlier = tokens.find(token.get(), withoutToken, Instant.now());
      if (earlier.isPresent()) {
        return answer(earlier.get().tasks(), earlier.get().failures());
      }
      return run(request, count, token, withoutToken);
    }
  }

  private Map<String, Object> run(
      TaskRequest request, int count, Optional<String> token, JsonNode withoutToken) {
    ProcessTaskLauncher.Run run = launcher().run(request, count);
    List<Object> failures = new ArrayList<>();
    for (LaunchFailure f : run.failures()) {
      failures.add(
          struct(
              "arn",
              chain.clusterArn(),
              "reason",
              f.reason().equals("capacity")
                  ? "Capacity is unavailable at this time. Please try again later or in a"
                      + " different availability zone"
                  : f.reason(),
              "detail",
              f.detail()));
    }
    token.ifPresent(
        t ->
            tokens.remember(
                t, new ClientTokens.Use(withoutToken, run.tasks(), failures, Instant.now())));
    return answer(run.tasks(), failures);
  }

  /** RunTask's answer: the tasks made, and as failures those that could not start and the rest. */
  private Map<String, Object> answer(List<String> ids, List<Object> notMade) {
    List<Object> tasks = new ArrayList<>();
    List<Object> failures = new ArrayList<>();
    for (String id : ids) {
      TaskDetails d = launcher().details(id).orElseThrow();
      if (d.stopCode().filter(TaskDetails.TASK_FAILED_TO_START::equals).isPresent()) {
        failures.add(
            struct(
                "arn",
                chain.taskArn(id),
                "reason",
                TaskDetails.TASK_FAILED_TO_START,
                "detail",
                d.view().stopReason()));
      } else {
        tasks.add(wire.task(d));
      }
    }
    failures.addAll(notMade);
    return struct("tasks", tasks, "failures", failures);
  }

  /** What {@code RunTask}'s {@code in} asks of {@code definition}: its overrides checked. */
  private static TaskRequest request(
      JsonNode in, TaskDefinition definition, Optional<String> startedBy) {
    ContainerSpec container = definition.container();
    Map<String, String> environment = new LinkedHashMap<>();
    Optional<List<String>> command = Optional.empty();
    for (JsonNode o : Params.list(in.path("overrides"), "containerOverrides")) {
      String name = Params.text(o, "name").orElse("");
      if (!name.equals(container.name())) {
        throw invalid(
            "Override for container named " + name + " is not a container in the TaskDefinition.");
      }
      for (JsonNode kv : Params.list(o, "environment")) {
        environment.put(Params.text(kv, "name").orElse(""), Params.text(kv, "value").orElse(""));
      }
      if (o.has("command")) {
        command = Optional.of(Params.texts(o, "command"));
      }
    }
    if (environment.containsKey("")) {
      throw invalid("An environment override needs a name.");
    }
    return new TaskRequest(
        definition,
        startedBy,
        Params.text(in, "group").orElse("family:" + definition.family()),
        environment,
        command);
  }

  private Map<String, Object> stopTask(JsonNode in) {
    cluster(in);
    String ref =
        Params.text(in, "task")
            .filter(s -> !s.isEmpty())
            .orElseThrow(() -> invalid("task must be specified."));
    Optional<String> reason = Params.text(in, "reason").filter(r -> !r.isEmpty());
    if (reason.isPresent() && reason.get().length() > 255) {
      throw invalid("reason may have up to 255 characters.");
    }
    String id = taskId(ref).orElseThrow(() -> invalid("The referenced task was not found."));
    TaskDetails stopped =
        launcher()
            .stop(id, reason)
            .orElseThrow(() -> invalid("The referenced task was not found."));
    return struct("task", wire.task(stopped));
  }

  /** The task id {@code ref} (an id or an ARN of the local cluster) names. */
  private Optional<String> taskId(String ref) {
    String id = ref.substring(ref.lastIndexOf('/') + 1);
    return !ref.startsWith("arn:") || ref.equals(chain.taskArn(id))
        ? Optional.of(id)
        : Optional.empty();
  }

  // --- listing and describing tasks --------------------------------------------------------------

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
      throw invalid(
          "startedBy must be the only filter of ListTasks; it was combined with containerInstance,"
              + " family, serviceName or desiredStatus");
    }
    String status = desired.orElse("RUNNING");
    if (!List.of("RUNNING", "PENDING", "STOPPED").contains(status)) {
      throw invalid("desiredStatus must be RUNNING, PENDING or STOPPED");
    }
    boolean any =
        service.isEmpty()
            && instance.isEmpty()
            && Params.text(in, "launchType").orElse("FARGATE").equals("FARGATE");
    List<Object> arns = new ArrayList<>();
    if (any) {
      for (TaskDetails t : launcher().details()) {
        // PENDING is a valid filter that lists nothing (ECS API Reference, ListTasks).
        boolean listed =
            t.desiredStatus().equals(status)
                && family.map(t.definition().family()::equals).orElse(true)
                && startedBy.map(s -> t.request().startedBy().equals(Optional.of(s))).orElse(true);
        if (listed) {
          arns.add(chain.taskArn(t.taskId()));
        }
      }
    }
    return struct("taskArns", arns);
  }

  private Map<String, Object> describeTasks(JsonNode in) {
    cluster(in);
    List<String> refs = Params.texts(in, "tasks");
    if (refs.isEmpty()) {
      throw invalid("Tasks cannot be empty.");
    }
    if (refs.size() > 100) {
      throw invalid("Tasks cannot have more than 100 elements.");
    }
    List<Object> tasks = new ArrayList<>();
    List<Object> failures = new ArrayList<>();
    for (String ref : refs) {
      Optional<TaskDetails> t = taskId(ref).flatMap(launcher()::details);
      if (t.isPresent()) {
        tasks.add(wire.task(t.get()));
      } else {
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        failures.add(
            struct("arn", ref.startsWith("arn:") ? ref : chain.taskArn(id), "reason", "MISSING"));
      }
    }
    return struct("tasks", tasks, "failures", failures);
  }
}
