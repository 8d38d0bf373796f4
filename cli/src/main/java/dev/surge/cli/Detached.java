package dev.surge.cli;

import dev.surge.core.ConfigException;
import dev.surge.standins.PinnedNodePackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one {@code surge up --detach} of this user: its process id and its output, in {@code
 * SURGE_STATE_DIR} if set, else {@code <cache>/up/} ({@code ~/.cache/surge/up} unless {@code
 * SURGE_CACHE_DIR} or {@code XDG_CACHE_HOME} say otherwise), where {@code surge stop} and {@code
 * surge logs} find it.
 */
final class Detached {
  private Detached() {}

  static Path dir() {
    String own = System.getenv("SURGE_STATE_DIR");
    return own != null && !own.isBlank()
        ? Path.of(own)
        : PinnedNodePackage.defaultCacheRoot().resolve("up");
  }

  static Path pidFile() {
    return dir().resolve("pid");
  }

  static Path log() {
    return dir().resolve("up.log");
  }

  /** The detached {@code surge up}, if one is running. */
  static Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The running one, or the error that says there is none. */
  static ProcessHandle require() {
    return running()
        .orElseThrow(
            () ->
                new ConfigException(
                    "no detached 'surge up' is running; start one with './surge up --detach'"));
  }

  /** The folder of the task logs the detached cloud printed, if it did. */
  static Optional<Path> taskLogs() throws IOException {
    if (!Files.exists(log())) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(log(), StandardCharsets.UTF_8)) {
      int at = line.indexOf("(logs in ");
      if (at >= 0 && line.endsWith(")")) {
        return Optional.of(Path.of(line.substring(at + "(logs in ".length(), line.length() - 1)));
      }
    }
    return Optional.empty();
  }
}
