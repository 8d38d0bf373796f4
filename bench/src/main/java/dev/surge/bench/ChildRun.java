package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.local.tasks.WorkerCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one benchmark contender in its own JVM and returns its result line as JSON. Every contender
 * gets the worker's JVM options ({@link WorkerCommand#DEFAULT_JVM_OPTIONS}, the same as the image's
 * and the local launcher's), so the worker is measured as it is deployed and the reference loops
 * run on the same footing.
 */
final class ChildRun {
  /** The JVM options of every contender. */
  static final List<String> JVM_OPTIONS = WorkerCommand.DEFAULT_JVM_OPTIONS;

  private ChildRun() {}

  static JsonNode run(String mainClass, List<String> args, Map<String, String> env, String prefix)
      throws IOException, InterruptedException {
    return run(mainClass, args, env, prefix, p -> {});
  }

  /** As {@link #run(String, List, Map, String)}; {@code started} is told of the child at once. */
  static JsonNode run(
      String mainClass,
      List<String> args,
      Map<String, String> env,
      String prefix,
      Consumer<ProcessHandle> started)
      throws IOException, InterruptedException {
    return run(System.getProperty("java.class.path"), mainClass, args, env, prefix, started);
  }

  /**
   * As {@link #run(String, List, Map, String, Consumer)}, on another class path than this JVM's
   * (the Spring peer's jar, say).
   */
  static JsonNode run(
      String classPath,
      String mainClass,
      List<String> args,
      Map<String, String> env,
      String prefix,
      Consumer<ProcessHandle> started)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SURGE_LOG_LEVEL", "WARN");
    Process p = pb.start();
    started.accept(p.toHandle());
    String result = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(prefix)) {
          result = line.substring(prefix.length());
        } else {
          tail.append(line).append('\n');
          if (tail.length() > 4000) {
            tail.delete(0, tail.length() - 4000);
          }
        }
      }
    } finally {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    }
    if (result == null || p.exitValue() != 0) {
      throw new IllegalStateException(
          mainClass + " " + args + " failed (exit " + p.exitValue() + "):\n" + tail);
    }
    return new ObjectMapper().readTree(result);
  }
}
