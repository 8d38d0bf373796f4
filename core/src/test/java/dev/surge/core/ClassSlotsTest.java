package dev.surge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the slots kept for the priority JVM become everyone's: only once its lock file exists and no
 * process holds the lock (POSIX locks belong to a process, so the holder here is another one).
 */
class ClassSlotsTest {
  @TempDir Path dir;

  /**
   * A program that locks the file named by its argument, says so, and holds it until its input
   * ends.
   */
  private static final String HOLDER =
      """
      import java.nio.channels.FileChannel;
      import java.nio.file.Path;
      import java.nio.file.StandardOpenOption;
      public class Holder {
        public static void main(String[] args) throws Exception {
          try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
            c.lock();
            System.out.println("locked");
            System.in.read();
          }
        }
      }
      """;

  @Test
  void keptSlotsAreSharedOnlyOnceThePriorityJvmHasRunAndEnded() throws Exception {
    Path presence = dir.resolve("priority-1.lock");
    // Not started yet: the kept slots stay free for it.
    assertThat(ClassSlots.priorityEnded(presence)).isFalse();

    Path source = dir.resolve("Holder.java");
    Files.writeString(source, HOLDER);
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                source.toString(),
                presence.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      // Running: its slots are its own, however often another JVM looks.
      assertThat(ClassSlots.priorityEnded(presence)).isFalse();
      assertThat(ClassSlots.priorityEnded(presence)).isFalse();
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // Ended (its lock went with its process): everyone's.
    assertThat(ClassSlots.priorityEnded(presence)).isTrue();
    assertThat(ClassSlots.priorityEnded(presence)).isTrue();
  }
}
