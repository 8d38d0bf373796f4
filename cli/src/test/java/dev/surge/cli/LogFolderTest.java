package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFolderTest {
  private final StringWriter err = new StringWriter();

  @Test
  void aTemporaryFolderNoTaskWroteInGoesEvenWhenTheCommandFailed() throws Exception {
    // A bad option or a taken port stops the command before any task: nothing to keep.
    LogFolder folder = LogFolder.of(null, "surge-test-");
    folder.finish(false, new PrintWriter(err, true), "surge");
    assertThat(folder.path()).doesNotExist();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aFailedRunKeepsItsLogsAndSaysWhere() throws Exception {
    LogFolder folder = LogFolder.of(null, "surge-test-");
    try {
      Files.writeString(folder.path().resolve("task-1.log"), "why it failed");
      folder.finish(false, new PrintWriter(err, true), "surge chaos");
      assertThat(folder.path().resolve("task-1.log")).exists();
      assertThat(err.toString())
          .isEqualTo(
              "surge chaos: the tasks' logs are in " + folder.path() + System.lineSeparator());
    } finally {
      folder.removeIfTemporary();
    }
  }

  @Test
  void aPassingRunRemovesItsTemporaryLogs() throws Exception {
    LogFolder folder = LogFolder.of(null, "surge-test-");
    Files.writeString(folder.path().resolve("task-1.log"), "fine");
    folder.finish(true, new PrintWriter(err, true), "surge");
    assertThat(folder.path()).doesNotExist();
  }

  @Test
  void aFolderTheUserNamedIsKept(@TempDir Path dir) throws Exception {
    Path logs = dir.resolve("logs");
    LogFolder folder = LogFolder.of(logs, "surge-test-");
    folder.finish(true, new PrintWriter(err, true), "surge");
    assertThat(logs).isDirectory();
  }
}
