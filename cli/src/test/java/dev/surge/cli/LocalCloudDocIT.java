package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines of {@code docs/local-cloud.md}, section "Using the local cloud from other tools", run
 * exactly as written: {@code ./surge up} in the background, on its default ports, then every other
 * line in one bash from the repository root, with no AWS variable but the ones the lines export.
 */
class LocalCloudDocIT {
  private static final Path ROOT = DocPages.ROOT;

  @TempDir Path dir;

  @Test
  void theLinesForOtherToolsRunAsWritten() throws Exception {
    List<String> lines =
        DocPages.codeBlock("docs/local-cloud.md", "## Using the local cloud from other tools");
    assertThat(lines.get(0)).startsWith("./surge up ");
    Path upLog = dir.resolve("up.log");
    ProcessBuilder up =
        new ProcessBuilder("bash", "-c", "exec ./surge up").directory(ROOT.toFile());
    up.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    Process cloud = up.redirectErrorStream(true).redirectOutput(upLog.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(upLog).contains("Then, for example")) {
        assertThat(cloud.isAlive()).as(Files.readString(upLog)).isTrue();
        assertThat(System.nanoTime()).as("up within 120 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      // What surge up printed is what the page shows.
      for (String line : lines) {
        if (line.startsWith("export AWS_ENDPOINT_URL") || line.startsWith("export AWS_REGION")) {
          assertThat(Files.readString(upLog)).contains(line.substring("export ".length()));
        }
      }
      ProcessBuilder rest =
          new ProcessBuilder("bash", "-e", "-c", String.join("\n", lines.subList(1, lines.size())))
              .directory(ROOT.toFile());
      rest.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
      rest.environment().put("AWS_CONFIG_FILE", "/nonexistent");
      rest.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
      Process p = rest.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out)
          .contains("sent 1100 of 1100 messages")
          .contains("\"MessageId\"")
          .contains("queue demo-decoupling-saa")
          .contains("\"Count\"");
    } finally {
      cloud.destroy();
      assertThat(cloud.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<ProcessHandle> left = new ArrayList<>(cloud.descendants().toList());
      assertThat(left).as("nothing of surge up left").isEmpty();
    }
  }
}
