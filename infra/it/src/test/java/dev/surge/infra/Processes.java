package dev.surge.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the external programs the synth test needs, with output to a log file. */
final class Processes {
  private Processes() {}

  /** The first executable called {@code name} on the {@code PATH} of {@code env}. */
  static Optional<Path> onPath(String name, Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir).resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code command} in {@code dir} with exactly {@code env}, appending its output to {@code
   * log}; kills it after the timeout. Returns its exit code.
   */
  static int run(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Path log,
      long timeout,
      TimeUnit unit)
      throws IOException, InterruptedException {
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout, unit)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command)
              + " did not finish in "
              + timeout
              + " "
              + unit
              + ":\n"
              + tail(log));
    }
    return process.exitValue();
  }

  /** The last 60 lines of {@code log}, for failure messages. */
  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
