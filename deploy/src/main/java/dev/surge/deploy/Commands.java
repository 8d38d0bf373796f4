package dev.surge.deploy;

import dev.surge.core.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Runs external tools (mvn, node) with their output passed through, keeping a tail for errors. */
final class Commands {
  private Commands() {}

  /**
   * The result of one command.
   *
   * @param exitCode its exit code
   * @param tail its last lines of output
   */
  record Result(int exitCode, String tail) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Result run(List<String> command, Path dir, Map<String, String> env, PrintWriter out) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ConfigException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue; // the CDK CLI frames its messages with empty lines
        }
        out.println("  | " + line);
        out.flush();
        tail.addLast(line);
        if (tail.size() > 40) {
          tail.removeFirst();
        }
      }
      return new Result(p.waitFor(), String.join("\n", tail));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new ConfigException("lost the output of " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }
}
