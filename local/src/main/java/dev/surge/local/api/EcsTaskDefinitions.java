package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.local.tasks.ContainerSpec;
import dev.surge.local.tasks.TaskDefinition;
import dev.surge.local.tasks.TaskDefinitions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS's task definitions over the launcher's {@link TaskDefinitions}: {@code
 * RegisterTaskDefinition} (the next revision of its family, with ECS's checks), {@code
 * ListTaskDefinitions}, {@code DescribeTaskDefinition}, and the definition a {@code RunTask} names.
 * A definition keeps one container and, of it, what the local cloud runs or reports ({@link
 * ContainerSpec}); the other fields a container definition may have are accepted and not kept.
 */
final class EcsTaskDefinitions {
  private static final Pattern UNITS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
  private static final Set<String> NETWORK_MODES = Set.of("bridge", "host", "awsvpc", "none");
  private static final Set<String> COMPATIBILITIES = Set.of("EC2", "FARGATE", "EXTERNAL");

  /** Fargate's longest stop timeout, in seconds. */
  static final int MAX_STOP_TIMEOUT = 120;

  private final LocalChain chain;

  EcsTaskDefinitions(LocalChain chain) {
    this.chain = chain;
  }

  private TaskDefinitions registry() {
    return chain.launcher().definitions();
  }

  private static ApiException client(String message) {
    return new ApiException("ClientException", message, 400);
  }

  /**
   * The revision {@code ref} names: {@code family} (its latest ACTIVE revision), {@code
   * family:revision} or its ARN.
   */
  Optional<TaskDefinition> find(String ref) {
    String prefix = chain.arn("ecs", "task-definition/");
    if (ref.startsWith("arn:")) {
      if (!ref.startsWith(prefix) || ref.indexOf(':', prefix.length()) < 0) {
        return Optional.empty();
      }
      ref = ref.substring(prefix.length());
    }
    return registry().find(ref);
  }

  Map<String, Object> describe(JsonNode in) {
    String ref = Params.required(in, "taskDefinition", "ClientException");
    TaskDefinition d = find(ref).orElseThrow(() -> client("Unable to describe task definition."));
    return struct("taskDefinition", wire(d), "tags", List.of());
  }

  Map<String, Object> list(JsonNode in) {
    Optional<String> family = Params.text(in, "familyPrefix");
    String status = Params.text(in, "status").orElse("ACTIVE");
    if (!status.equals("ACTIVE")
        && !status.equals("INACTIVE")
        && !status.equals("DELETE_IN_PROGRESS")) {
      throw new ApiException(
          "InvalidParameterException",
          "status must be ACTIVE, INACTIVE or DELETE_IN_PROGRESS",
          400);
    }
    List<String> arns = new ArrayList<>();
    if (status.equals("ACTIVE")) {
      for (TaskDefinition d : registry().all()) {
        // familyPrefix names a whole family, despite its name (ECS API Reference).
        if (family.map(d.family()::equals).orElse(true)) {
          arns.add(chain.taskDefinitionArn(d));
        }
      }
    }
    if (Params.text(in, "sort").orElse("ASC").equals("DESC")) {
      java.util.Collections.reverse(arns);
    }
    return struct("taskDefinitionArns", arns);
  }

  Map<String, Object> register(JsonNode in) {
    TaskDefinition registered = registry().register(parse(in));
    return struct("taskDefinition", wire(registered), "tags", List.of());
  }

  /** The definition {@code in} describes, revision 0 (the registry numbers it). */
  private TaskDefinition parse(JsonNode in) {
    String family =
        Params.text(in, "family")
            .filter(f -> !f.isEmpty())
            .orElseThrow(() -> client("Family must be specified."));
    if (!TaskDefinition.NAME.matcher(family).matches()) {
      throw client(
          "Family '"
              + family
              + "' is invalid: up to 255 letters (uppercase and lowercase), numbers, hyphens and"
              + " underscores are allowed.");
    }
    List<JsonNode> containers = Params.list(in, "containerDefinitions");
    if (containers.isEmpty()) {
      throw client("Container list cannot be empty.");
    }
    if (containers.size() > 1) {
      throw client(
          "The local cloud runs tasks of one container; this definition has "
              + containers.size()
              + " (see docs/local-cloud.md, \"What the writes do\")");
    }
    ContainerSpec container = container(containers.get(0));
    if (!container.essential()) {
      throw client("A task definition must have at least one essential container.");
    }
    List<String> compatibilities = Params.texts(in, "requiresCompatibilities");
    for (String c : compatibilities) {
      if (!COMPATIBILITIES.contains(c)) {
        throw client("requiresCompatibilities must be EC2, FARGATE or EXTERNAL, not '" + c + "'");
      }
    }
    Optional<String> networkMode = Params.text(in, "networkMode");
    networkMode.ifPresent(
        m -> {
          if (!NETWORK_MODES.contains(m)) {
            throw client("networkMode must be bridge, host, awsvpc or none, not '" + m + "'");
          }
        });
    Optional<String> cpu = Params.text(in, "cpu").map(c -> units(c, "cpu", "vcpu", 1024));
    Optional<String> memory = Params.text(in, "memory").map(m -> units(m, "memory", "gb", 1024));
    if (compatibilities.contains("FARGATE")) {
      if (!networkMode.map("awsvpc"::equals).orElse(false)) {
        throw client("Fargate only supports network mode 'awsvpc'.");
      }
      if (cpu.isEmpty()) {
        throw client("Fargate requires that 'cpu' be defined at the task level.");
      }
      if (memory.isEmpty()) {
        throw client("Fargate requires that 'memory' be defined at the task level.");
      }
    }
    return new TaskDefinition(
        family,
        0,
        container,
        cpu,
        memory,
        networkMode,
        compatibilities,
        Params.text(in, "executionRoleArn"),
        Params.text(in, "taskRoleArn"),
        java.time.Instant.now(),
        false);
  }

  private static ContainerSpec container(JsonNode c) {
    String name = Params.text(c, "name").orElse("");
    if (!TaskDefinition.NAME.matcher(name).matches()) {
      throw client(
          "Container.name '"
              + name
              + "' is invalid: up to 255 letters (uppercase and lowercase), numbers, hyphens and"
              + " underscores are allowed.");
    }
    String image =
        Params.text(c, "image")
            .filter(i -> !i.isBlank())
            .orElseThrow(() -> client("Container.image should not be null or empty."));
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode kv : Params.list(c, "environment")) {
      String key =
          Params.text(kv, "name")
              .filter(k -> !k.isEmpty())
              .orElseThrow(() -> client("Container.environment entries need a name."));
      environment.put(key, Params.text(kv, "value").orElse(""));
    }
    Optional<Integer> stopTimeout = Params.integer(c, "stopTimeout", "ClientException");
    stopTimeout.ifPresent(
        s -> {
          if (s < 0 || s > MAX_STOP_TIMEOUT) {
            throw client(
                "Container.stopTimeout must be between 0 and " + MAX_STOP_TIMEOUT + " seconds.");
          }
        });
    JsonNode log = c.path("logConfiguration");
    Map<String, String> logOptions = new LinkedHashMap<>();
    log.path("options")
        .properties()
        .forEach(e -> logOptions.put(e.getKey(), e.getValue().asText()));
    Optional<String> logDriver = Params.text(log, "logDriver");
    if (log.isObject() && logDriver.isEmpty()) {
      throw client("Container.logConfiguration.logDriver should not be null or empty.");
    }
    return new ContainerSpec(
        name,
        image,
        Params.texts(c, "entryPoint"),
        Params.texts(c, "command"),
        environment,
        Params.bool(c, "essential", true),
        stopTimeout,
        logDriver,
        logOptions,
        Params.integer(c, "cpu", "ClientException").orElse(0),
        Params.integer(c, "memory", "ClientException"),
        Params.text(c, "workingDirectory"));
  }

  /**
   * A task's CPU or memory as ECS stores it: whole units ({@code 256}, {@code 2048}); {@code 1
   * vCPU} and {@code 2 GB} are converted, as ECS converts them.
   */
  private static String units(String value, String what, String bigUnit, int perBigUnit) {
    Matcher m = UNITS.matcher(value.trim());
    String unit = m.matches() ? m.group(2).toLowerCase(Locale.ROOT) : "?";
    try {
      BigDecimal n = new BigDecimal(m.matches() ? m.group(1) : "x");
      if (unit.isEmpty()) {
        return Integer.toString(n.intValueExact());
      }
      if (unit.equals(bigUnit)) {
        return Integer.toString(n.multiply(BigDecimal.valueOf(perBigUnit)).intValueExact());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // refused below
    }
    throw client(
        "The task's "
            + what
            + " '"
            + value
            + "' is invalid: give whole units (e.g. "
            + (what.equals("cpu") ? "256" : "512")
            + ") or "
            + (what.equals("cpu") ? "vCPUs (e.g. 1 vCPU)" : "GB (e.g. 2 GB)"));
  }

  /** {@code d} as {@code DescribeTaskDefinition} answers it. */
  Map<String, Object> wire(TaskDefinition d) {
    ContainerSpec c = d.container();
    List<Object> environment = new ArrayList<>();
    c.environment().forEach((k, v) -> environment.add(struct("name", k, "value", v)));
    Map<String, Object> container =
        struct(
            "name", c.name(),
            "image", c.image(),
            "cpu", c.cpu(),
            "memory", c.memory(),
            "portMappings", List.of(),
            "essential", c.essential(),
            "entryPoint", c.entryPoint().isEmpty() ? Optional.empty() : Optional.of(c.entryPoint()),
            "command", c.command().isEmpty() ? Optional.empty() : Optional.of(c.command()),
            "environment", environment,
            "mountPoints", List.of(),
            "volumesFrom", List.of(),
            "stopTimeout", c.stopTimeout(),
            "workingDirectory", c.workingDirectory(),
            "logConfiguration",
                c.logDriver()
                    .map(driver -> struct("logDriver", driver, "options", c.logOptions())));
    boolean fargate =
        d.networkMode().map("awsvpc"::equals).orElse(false)
            && d.cpu().isPresent()
            && d.memory().isPresent();
    return struct(
        "taskDefinitionArn", chain.taskDefinitionArn(d),
        "containerDefinitions", List.of(container),
        "family", d.family(),
        "taskRoleArn", d.taskRoleArn(),
        "executionRoleArn", d.executionRoleArn(),
        "networkMode", d.networkMode(),
        "revision", d.revision(),
        "volumes", List.of(),
        "status", "ACTIVE",
        "placementConstraints", List.of(),
        "compatibilities", fargate ? List.of("EC2", "FARGATE") : List.of("EC2"),
        "requiresCompatibilities", d.requiresCompatibilities(),
        "runtimePlatform",
            d.worker()
                ? Optional.of(struct("cpuArchitecture", "X86_64", "operatingSystemFamily", "LINUX"))
                : Optional.empty(),
        "cpu", d.cpu(),
        "memory", d.memory(),
        "registeredAt", d.registeredAt());
  }
}
