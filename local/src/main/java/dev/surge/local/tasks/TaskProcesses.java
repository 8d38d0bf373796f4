package dev.surge.local.tasks;

import dev.surge.worker.TaskIdentities;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts the process of a task, as its definition says. The chain's own definition starts Surge's
 * worker as the launcher always has: the {@link WorkerCommand} with its class-data options from its
 * {@link ClassDataArchive}, and the worker's environment ({@link TaskEnvironment}), its standard
 * input a pipe only the launcher holds. A definition of the user's starts its container's {@code
 * entryPoint} and {@code command} with no standard input, this machine's environment without its
 * {@code AWS_*} and {@code SURGE_*} variables, the local cloud's endpoint, region and credentials,
 * the container's environment and the overrides, and {@code ECS_CONTAINER_METADATA_URI_V4} on the
 * task metadata endpoint, which starts with the first such task. Thread-safe.
 */
final class TaskProcesses implements AutoCloseable {
  private final LauncherSettings settings;
  private final WorkerCommand command;
  private final Optional<ClassDataArchive> classData;
  private final TaskPlatform platform;
  private final Function<String, Optional<TaskDetails>> byToken;

  // Guarded by this.
  private TaskMetadataServer metadata;

  /**
   * Starts tasks with {@code settings} and {@code command} for the chain's definition, and in
   * {@code platform} for the user's, whose metadata is that of the task {@code byToken} finds.
   */
  TaskProcesses(
      LauncherSettings settings,
      WorkerCommand command,
      TaskPlatform platform,
      Function<String, Optional<TaskDetails>> byToken) {
    this.settings = settings;
    this.command = command;
    this.classData = command.classData().map(dir -> ClassDataArchive.of(command, dir));
    this.platform = platform;
    this.byToken = byToken;
  }

  /** Starts the process of task {@code t}; its output and error are one stream. */
  Process start(LocalTask t) throws IOException {
    return t.request.definition().worker() ? startWorker(t) : startContainer(t);
  }

  private Process startContainer(LocalTask t) throws IOException {
    TaskRequest r = t.request;
    ContainerSpec container = r.definition().container();
    List<String> line = r.commandLine();
    if (line.isEmpty()) {
      throw new IOException(
          "container "
              + container.name()
              + " has neither an entryPoint nor a command, and the local cloud runs no image");
    }
    ProcessBuilder pb = new ProcessBuilder(line);
    container.workingDirectory().map(Path::of).ifPresent(d -> pb.directory(d.toFile()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(TaskEnvironment::isInheritedSetting);
    env.putAll(platform.clientEnvironment());
    env.putAll(container.environment());
    env.putAll(r.environment());
    env.put(TaskIdentities.ECS_METADATA, metadata().uri(t.metadataToken));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    // A container has no standard input.
    p.getOutputStream().close();
    return p;
  }

  private Process startWorker(LocalTask t) throws IOException {
    ClassDataArchive.Launch cds =
        classData
            .map(ClassDataArchive::next)
            .orElse(new ClassDataArchive.Launch(List.of(), Optional.empty()));
    ProcessBuilder pb = new ProcessBuilder(command.command(cds.options()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(TaskEnvironment::isInheritedSetting);
    env.putAll(TaskEnvironment.of(settings, t.id));
    // Standard input stays a pipe whose other end only the launcher holds: the worker stops when
    // it closes (see ProcessTaskLauncher).
    pb.redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      classData.ifPresent(a -> a.exited(cds, -1));
      throw e;
    }
    if (cds.making().isPresent()) {
      // The archive is written as the process exits; it is published once it has.
      p.onExit().thenAccept(done -> classData.get().exited(cds, done.exitValue()));
    }
    return p;
  }

  /** The task metadata endpoint, started with the first task of the user's. */
  private synchronized TaskMetadataServer metadata() {
    if (metadata == null) {
      metadata = TaskMetadataServer.start(byToken, new TaskMetadata(platform));
    }
    return metadata;
  }

  /** Stops the task metadata endpoint, if it started. */
  @Override
  public synchronized void close() {
    if (metadata != null) {
      metadata.close();
      metadata = null;
    }
  }
}
