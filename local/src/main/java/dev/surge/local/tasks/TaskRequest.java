package dev.surge.local.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code RunTask} asks for each of its tasks: the definition's revision, who started it, its
 * group, and the overrides of its container.
 *
 * @param definition the revision it runs
 * @param startedBy who started it ({@code surge} for the chain's function), if given
 * @param group its group; {@code family:<family>} by default, as ECS
 * @param environment variables added to (or replacing) the container's, in order
 * @param command the container's {@code command} instead of the definition's, if given
 */
public record TaskRequest(
    TaskDefinition definition,
    Optional<String> startedBy,
    String group,
    Map<String, String> environment,
    Optional<List<String>> command) {

  /** Requires every part; copies the overrides. */
  public TaskRequest {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(startedBy, "startedBy");
    Objects.requireNonNull(group, "group");
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    command = command.map(List::copyOf);
  }

  /** {@code definition} as it is, started by {@code startedBy}, in its family's group. */
  public static TaskRequest of(TaskDefinition definition, String startedBy) {
    return new TaskRequest(
        definition,
        Optional.of(startedBy),
        "family:" + definition.family(),
        Map.of(),
        Optional.empty());
  }

  /** Whether it overrides anything of its container. */
  public boolean overrides() {
    return !environment.isEmpty() || command.isPresent();
  }

  /** The container's command line: its entry point, then the command (the override's if given). */
  public List<String> commandLine() {
    List<String> line = new java.util.ArrayList<>(definition.container().entryPoint());
    line.addAll(command.orElse(definition.container().command()));
    return line;
  }
}
