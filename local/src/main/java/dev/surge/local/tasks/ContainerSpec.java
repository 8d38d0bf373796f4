package dev.surge.local.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One container definition of a task definition, the fields the local cloud keeps: locally its
 * {@code entryPoint} followed by its {@code command} is what runs, as a process of this machine;
 * its {@code image} is recorded and never pulled.
 *
 * @param name its name
 * @param image the image it names
 * @param entryPoint the executable and its first arguments
 * @param command the arguments after them
 * @param environment its variables, in order
 * @param essential whether the task stops when it exits
 * @param stopTimeout seconds between SIGTERM and SIGKILL when the task is stopped; empty: ECS's 30
 * @param logDriver its log driver ({@code awslogs}), if it has one
 * @param logOptions the driver's options ({@code awslogs-group}, {@code awslogs-stream-prefix},
 *     ...)
 * @param cpu its CPU units (0: none reserved)
 * @param memory its hard memory limit in MiB, if set
 * @param workingDirectory where its process starts, if set
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> entryPoint,
    List<String> command,
    Map<String, String> environment,
    boolean essential,
    Optional<Integer> stopTimeout,
    Optional<String> logDriver,
    Map<String, String> logOptions,
    int cpu,
    Optional<Integer> memory,
    Optional<String> workingDirectory) {

  /** Copies the lists and maps, keeping their order. */
  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    entryPoint = List.copyOf(entryPoint);
    command = List.copyOf(command);
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(logDriver, "logDriver");
    logOptions = Collections.unmodifiableMap(new LinkedHashMap<>(logOptions));
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
  }

  /** The {@code awslogs} log group its output goes to, if it has one. */
  public Optional<String> logGroup() {
    return logDriver.filter("awslogs"::equals).map(d -> logOptions.get("awslogs-group"));
  }

  /**
   * The log stream of its output in task {@code taskId}, as the {@code awslogs} driver names it:
   * {@code <prefix>/<container>/<task id>}; just the task id without a prefix.
   */
  public String logStream(String taskId) {
    String prefix = logOptions.get("awslogs-stream-prefix");
    return prefix == null || prefix.isEmpty() ? taskId : prefix + "/" + name + "/" + taskId;
  }
}
