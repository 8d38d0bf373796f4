package dev.surge.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one benchmark contender in its own JVM and returns its result line as JSON. */
final class ChildRun {
  private ChildRun() {}

  static JsonNode run(String mainClass, List<String> args, Map<String, String> env, String prefix)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SURGE_LOG_LEVEL", "WARN");
    Process p = pb.start();
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
