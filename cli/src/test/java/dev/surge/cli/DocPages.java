package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README and the pages under {@code docs/}, read by the tests that run what they say. */
public final class DocPages {
  /** The repository root (the tests run in {@code cli/}). */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private DocPages() {}

  /**
   * The first fenced code block under the heading {@code heading} (the whole line, {@code ## ...})
   * of the page {@code page} (relative to the repository root), line by line.
   */
  public static List<String> codeBlock(String page, String heading) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(page), StandardCharsets.UTF_8);
    int at = lines.indexOf(heading);
    assertThat(at).as("%s has the section %s", page, heading).isPositive();
    int open = at + 1;
    while (!lines.get(open).startsWith("```")) {
      assertThat(lines.get(open))
          .as("%s: no code block under %s", page, heading)
          .doesNotStartWith("#");
      open++;
    }
    int close = open + 1;
    while (!lines.get(close).equals("```")) {
      close++;
    }
    return List.copyOf(lines.subList(open + 1, close));
  }

  /** What a run of a page's lines ended with. */
  public record Run(int exitCode, String output) {}

  /**
   * Starts {@code pb} with its output going to {@code log} and its input closed, and waits up to
   * {@code timeoutSeconds}; past that, stops it and everything it started and fails with {@code
   * what} and the output so far.
   */
  public static Run run(ProcessBuilder pb, Path log, long timeoutSeconds, String what)
      throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(
          "did not finish within " + timeoutSeconds + " s:\n" + what + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }
}
