package dev.surge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a command's tasks write their logs: the folder the user named with {@code --logs}, kept, or
 * a new temporary one, removed when the command ends unless the run failed (then its logs are what
 * to read).
 */
public final class LogFolder {
  private final Path path;
  private final boolean temporary;

  private LogFolder(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** {@code requested} if not null (created if missing), else a new temporary folder. */
  public static LogFolder of(Path requested, String prefix) throws IOException {
    return requested != null
        ? new LogFolder(Files.createDirectories(requested), false)
        : new LogFolder(Files.createTempDirectory(prefix), true);
  }

  /** The folder. */
  public Path path() {
    return path;
  }

  /**
   * At the end of a command: a temporary folder goes if the run passed or no task wrote in it (a
   * bad option or a taken port stops a command before any task starts); otherwise {@code err} says
   * where the logs are.
   */
  public void finish(boolean passed, PrintWriter err, String command) {
    if (temporary && (passed || isEmpty())) {
      removeIfTemporary();
    } else if (!passed) {
      err.printf("%s: the tasks' logs are in %s%n", command, path);
      err.flush();
    }
  }

  private boolean isEmpty() {
    try (Stream<Path> s = Files.list(path)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the folder if it is a temporary one; a file that cannot be removed is left. */
  public void removeIfTemporary() {
    if (!temporary || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> s = Files.walk(path)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary folder is not worth failing the command for
    }
  }
}
