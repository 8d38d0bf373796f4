package dev.surge.local.tasks;

import dev.surge.aws.AwsClients;
import dev.surge.core.ResourceNames;
import dev.surge.standins.PinnedNodePackage;
import dev.surge.worker.WorkerJvm;
import dev.surge.worker.WorkerMain;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start one worker process: {@code <java> <jvmOptions...> -cp <classPath> <mainClass>}.
 *
 * @param java the {@code java} executable
 * @param classPath the class path holding the worker and its dependencies
 * @param mainClass the worker's entry point
 * @param jvmOptions options placed before the class path (copied)
 * @param classData where the worker's class-data sharing archive ({@link ClassDataArchive}) is
 *     kept; empty = workers start without one
 */
public record WorkerCommand(
    String java,
    String classPath,
    String mainClass,
    List<String> jvmOptions,
    Optional<Path> classData) {

  /**
   * The options a worker JVM gets by default: {@link WorkerJvm#OPTIONS}, the image's too. With C1
   * alone, measured on a shared 2-core machine against the local stand-ins, five runs of one worker
   * draining 3,000 messages each: ready (queue and table confirmed) in a median 1.5 s against 1.8 s
   * with both compilers, draining at a median 990 against 840 messages a second. The worker image
   * (Jib, in module {@code worker}) starts its JVM with the same options.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS = WorkerJvm.OPTIONS;

  /** Requires every part; the main class and the executable must not be blank. */
  public WorkerCommand {
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(classPath, "classPath");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(classData, "classData");
    jvmOptions = List.copyOf(jvmOptions);
    if (java.isBlank() || mainClass.isBlank()) {
      throw new IllegalArgumentException("java and mainClass must not be blank");
    }
  }

  /** A command without a class-data sharing archive. */
  public WorkerCommand(String java, String classPath, String mainClass, List<String> jvmOptions) {
    this(java, classPath, mainClass, jvmOptions, Optional.empty());
  }

  /**
   * {@link WorkerMain} on the running JVM's executable and class path, with {@link
   * #DEFAULT_JVM_OPTIONS} and a class-data sharing archive in the cache ({@code <cache>/cds}): the
   * worker is the same code as the launcher's.
   *
   * <p>When Surge's modules the worker runs from (worker, aws, core) come from jars, the worker's
   * class path is the jars of this one: a directory of classes beside them (a project's or a test's
   * own output, where a local cloud is started from tests) holds nothing the worker loads, and
   * would rule out the archive. When they come from directories (a build's output, run from an
   * IDE), the class path is this one whole, and workers start without an archive.
   */
  public static WorkerCommand current() {
    String classPath = System.getProperty("java.class.path");
    String jars = jarsOf(classPath);
    String workers =
        packaged(WorkerMain.class, AwsClients.class, ResourceNames.class) ? jars : classPath;
    return new WorkerCommand(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        workers,
        WorkerMain.class.getName(),
        DEFAULT_JVM_OPTIONS,
        workers.equals(jars)
            ? Optional.of(PinnedNodePackage.defaultCacheRoot().resolve("cds"))
            : Optional.empty());
  }

  // The JVM archives classes from jars only: a class path with a directory of classes cannot have
  // an archive, and asking for one fails the task.
  static String jarsOf(String classPath) {
    List<String> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && entry.endsWith(".jar")) {
        jars.add(entry);
      }
    }
    return String.join(File.pathSeparator, jars);
  }

  private static boolean packaged(Class<?>... classes) {
    for (Class<?> c : classes) {
      java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null || !source.getLocation().getPath().endsWith(".jar")) {
        return false;
      }
    }
    return true;
  }

  /** A copy with other JVM options. */
  public WorkerCommand withJvmOptions(List<String> options) {
    return new WorkerCommand(java, classPath, mainClass, options, classData);
  }

  /** A copy that keeps its class-data sharing archive in {@code directory}, or has none. */
  public WorkerCommand withClassData(Optional<Path> directory) {
    return new WorkerCommand(java, classPath, mainClass, jvmOptions, directory);
  }

  /** The command line. */
  public List<String> command() {
    return command(List.of());
  }

  /** The command line with {@code extraOptions} after the JVM options. */
  public List<String> command(List<String> extraOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(jvmOptions);
    cmd.addAll(extraOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    return cmd;
  }
}
