package dev.surge.standins.aws;

import dev.surge.standins.NodeRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The aws CLI the tests run: the one on the PATH, or, when that is a version manager's shim
 * (pyenv's: a shell script that finds the interpreter, then runs the CLI with it), the CLI the shim
 * runs. The shim costs about 0.4 CPU seconds on every call, 40% of a call; the tests make about a
 * hundred. What the CLI does is the same.
 */
public final class AwsCli {
  private static Path found;

  private AwsCli() {}

  /**
   * The aws CLI's executable (found once per test JVM).
   *
   * @throws AssertionError if no aws CLI is on the PATH
   */
  public static synchronized Path executable() {
    if (found == null) {
      Path onPath =
          NodeRuntime.find("aws")
              .orElseThrow(
                  () -> new AssertionError("the aws CLI is not on the PATH; pip install awscli"));
      found = behindShim(onPath).orElse(onPath);
    }
    return found;
  }

  /**
   * The folder of {@link #executable()}: put first on the PATH of a script that runs {@code aws} as
   * its reader types it.
   */
  public static Path directory() {
    return executable().getParent();
  }

  /** What a pyenv shim at {@code path} runs for {@code aws}, from {@code pyenv which aws}. */
  private static Optional<Path> behindShim(Path path) {
    try {
      if (Files.size(path) > 4096) {
        return Optional.empty();
      }
      String text = Files.readString(path, StandardCharsets.ISO_8859_1);
      if (!text.startsWith("#!") || !text.contains("pyenv")) {
        return Optional.empty();
      }
      // The shim ends with: exec "<pyenv>" exec "$program" "$@"
      Matcher pyenv = Pattern.compile("exec \"([^\"]+)\" exec ").matcher(text);
      Process p =
          new ProcessBuilder(pyenv.find() ? pyenv.group(1) : "pyenv", "which", "aws")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Path real = Path.of(out);
      return Files.isExecutable(real) ? Optional.of(real) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
