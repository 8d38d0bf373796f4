package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds {@code node} and {@code npm} on the PATH and runs them. */
public final class NodeRuntime {
  static final String ESCAPE_HATCH =
      "Install Node.js 20 or newer (with npm), or point Surge at a DynamoDB-compatible endpoint you"
          + " already run with AWS_ENDPOINT_URL_DYNAMODB=http://host:port";

  private NodeRuntime() {}

  /** The {@code node} executable, or a {@link ConfigException} that says what to do. */
  static Path node() {
    return find("node")
        .orElseThrow(
            () ->
                new ConfigException(
                    "Node.js is needed to run dynalite, the local DynamoDB stand-in, but 'node' is"
                        + " not on the PATH. "
                        + ESCAPE_HATCH));
  }

  /** The {@code npm} executable, or a {@link ConfigException} that says what to do. */
  static Path npm(String what) {
    return find("npm")
        .orElseThrow(
            () ->
                new ConfigException(
                    "npm is needed to install "
                        + what
                        + ", but 'npm' is not on the PATH. Install Node.js 20 or newer (with"
                        + " npm)"
                        + (what.startsWith("dynalite")
                            ? ", or point Surge at a DynamoDB-compatible endpoint you already run"
                                + " with AWS_ENDPOINT_URL_DYNAMODB=http://host:port"
                            : "")));
  }

  /** An executable named {@code name} on the PATH. */
  public static Optional<Path> find(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs a command to completion in {@code dir}; returns its combined output or throws. */
  static String run(Path dir, long timeoutSeconds, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    try (InputStream in = p.getInputStream()) {
      byte[] out = in.readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " timed out after " + timeoutSeconds + " s");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", cmd) + " failed with exit code " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", cmd), e);
    }
  }
}
