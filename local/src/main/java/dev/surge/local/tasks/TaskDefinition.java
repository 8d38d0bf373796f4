package dev.surge.local.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One revision of a task definition, as the local cloud runs it: one container ({@link
 * ContainerSpec}) whose {@code entryPoint} and {@code command} run as a process of this machine.
 * The chain's own definition (its family's first revision) runs Surge's worker as the launcher
 * always has ({@link #worker()}): its JVM options, its class-data archive, its summaries.
 *
 * @param family its family
 * @param revision its revision in the family, from 1
 * @param container its one container
 * @param cpu the task's CPU units, if set
 * @param memory the task's memory in MiB, if set
 * @param networkMode its network mode ({@code awsvpc} on Fargate), if set
 * @param requiresCompatibilities the launch types it asks for ({@code FARGATE})
 * @param executionRoleArn the role ECS would pull and log with, recorded only
 * @param taskRoleArn the role the task's code would get, recorded only
 * @param registeredAt when it was registered
 * @param worker whether it is the chain's own definition, which runs Surge's worker
 */
public record TaskDefinition(
    String family,
    int revision,
    ContainerSpec container,
    Optional<String> cpu,
    Optional<String> memory,
    Optional<String> networkMode,
    List<String> requiresCompatibilities,
    Optional<String> executionRoleArn,
    Optional<String> taskRoleArn,
    Instant registeredAt,
    boolean worker) {

  /** What ECS accepts as a family or a container's name: up to 255 letters, digits, - and _. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

  /** Requires every part; a valid family; a revision from 1. */
  public TaskDefinition {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(networkMode, "networkMode");
    requiresCompatibilities = List.copyOf(requiresCompatibilities);
    Objects.requireNonNull(executionRoleArn, "executionRoleArn");
    Objects.requireNonNull(taskRoleArn, "taskRoleArn");
    Objects.requireNonNull(registeredAt, "registeredAt");
    if (!NAME.matcher(family).matches()) {
      throw new IllegalArgumentException("invalid family '" + family + "'");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative, was " + revision);
    }
  }

  /** {@code family:revision}, as ECS names a revision. */
  public String name() {
    return family + ":" + revision;
  }

  /** A copy with {@code value} as its revision. */
  TaskDefinition withRevision(int value) {
    return new TaskDefinition(
        family,
        value,
        container,
        cpu,
        memory,
        networkMode,
        requiresCompatibilities,
        executionRoleArn,
        taskRoleArn,
        registeredAt,
        worker);
  }
}
