package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code surge logs -f}: following a file as it is written, and knowing when a task's log ends. */
class LogFollowerTest {
  @TempDir Path dir;

  private static void append(Path file, String text) {
    append(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void append(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A writer that appends {@code writes}, one each time it is asked whether it is done, and is done
   * once it has appended the last.
   */
  private static BooleanSupplier script(Path file, List<String> writes) {
    int[] round = {0};
    return () -> {
      int r = round[0]++;
      if (r < writes.size()) {
        append(file, writes.get(r));
      }
      return r >= writes.size() - 1;
    };
  }

  @Test
  void printsWhatIsThereThenWhatIsAppendedUntilTheWriterIsDone() throws Exception {
    Path log = dir.resolve("up.log");
    append(log, "Local cloud is up\n");
    StringWriter text = new StringWriter();
    // Each round, the writer adds a part; the last line has no line end when it is done.
    BooleanSupplier ended =
        script(
            log,
            List.of(
                "", "[ 1.0s] produced 300\n[ 2.0s] task", " task-0001: RUNNING\n", "last words"));
    LogFollower.follow(log, new PrintWriter(text), ended, Duration.ofMillis(1));
    assertThat(text.toString())
        .isEqualTo(
            "Local cloud is up\n[ 1.0s] produced 300\n[ 2.0s] task task-0001: RUNNING\nlast words");
  }

  @Test
  void eachRoundPrintsOnlyWholeLinesSoAMultiByteCharacterIsNeverCut() throws Exception {
    Path log = dir.resolve("task-0001.log");
    LogFollower.Tail tail = new LogFollower.Tail(log);
    assertThat(tail.lines()).as("no file yet").isEmpty();
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    append(log, "caf");
    append(log, new byte[] {e[0]});
    assertThat(tail.lines()).isEmpty();
    append(log, new byte[] {e[1]});
    append(log, "\nnext");
    assertThat(tail.lines()).isEqualTo("café\n");
    assertThat(tail.lines()).isEmpty();
    assertThat(tail.rest()).isEqualTo("next");
  }

  @Test
  void aFileStartedAnewIsReadFromItsStart() throws Exception {
    Path log = dir.resolve("up.log");
    append(log, "first cloud, a long line of output\n");
    LogFollower.Tail tail = new LogFollower.Tail(log);
    assertThat(tail.lines()).isEqualTo("first cloud, a long line of output\n");
    Files.writeString(log, "second cloud\n");
    assertThat(tail.lines()).isEqualTo("second cloud\n");
  }

  @Test
  void theFollowerStopsAtOnceWhenTheWriterIsAlreadyDone() throws Exception {
    Path log = dir.resolve("up.log");
    append(log, "all of it\n");
    StringWriter text = new StringWriter();
    LogFollower.follow(log, new PrintWriter(text), () -> true, Duration.ofHours(1));
    assertThat(text.toString()).isEqualTo("all of it\n");
  }

  @Test
  void aTaskHasStoppedOnceTheCloudsOutputSaysSoForThatTask() {
    Path up = dir.resolve("up.log");
    BooleanSupplier stopped = LogsCommand.stopped(up, "task-0001");
    assertThat(stopped.getAsBoolean()).as("no output yet").isFalse();
    append(up, "[   5.8s] task task-0001: PROVISIONING\n[   8.6s] task task-0001: RUNNING\n");
    assertThat(stopped.getAsBoolean()).isFalse();
    // Another task's end, one whose id starts the same, and a line still being written.
    append(up, "[  17.1s] task task-00010: STOPPED exit 0\n[  17.1s] task task-0002: STOPPED\n");
    append(up, "[  17.2s] task task-0001: STOP");
    assertThat(stopped.getAsBoolean()).isFalse();
    append(up, "PED exit 0, 220 items, Essential container in task exited\n[  18.0s] more\n");
    assertThat(stopped.getAsBoolean()).isTrue();
    assertThat(stopped.getAsBoolean()).as("and stays so").isTrue();
  }
}
