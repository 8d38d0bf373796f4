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

  /**
   * The JVM options the background {@code surge up} starts with: this JVM's own ({@code
   * SURGE_JAVA_OPTS}, a class-data archive, heap and compiler flags), so that it runs as the
   * command that started it, not on the JVM's defaults (both compilers, a heap sized to the
   * machine, no archive). Left out: what cannot be given to two JVMs at once or belongs to this run
   * alone (a debugger's or an agent's port, a flight recording, an archive being written, a class
   * list being dumped).
   */
  static java.util.List<String> jvmOptions(java.util.List<String> own) {
    return own.stream()
        .filter(
            o ->
                !(o.startsWith("-agentlib:")
                    || o.startsWith("-agentpath:")
                    || o.startsWith("-javaagent:")
                    || o.startsWith("-Xrunjdwp")
                    || o.equals("-Xdebug")
                    || o.startsWith("-XX:StartFlightRecording")
                    || o.startsWith("-XX:ArchiveClassesAtExit")
                    || o.startsWith("-XX:DumpLoadedClassList")))
        .toList();
  }

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

  /**
   * The detached {@code surge up}, if one is running. The pid file holds the process id and the
   * instant its process started: a file left behind by a crash or a reboot names a process that is
   * gone or, once the id is reused, one that started at another instant, which is never taken for
   * the local cloud (nor signalled by {@code surge stop}); such a file is removed.
   */
  static Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      Optional<ProcessHandle> up = identify(Files.readString(pidFile(), StandardCharsets.UTF_8));
      if (up.isEmpty()) {
        Files.deleteIfExists(pidFile());
      }
      return up;
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What the pid file says of {@code process}: its id and the instant it started. */
  static String record(ProcessHandle process) {
    return process.pid()
        + " "
        + process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("-")
        + "\n";
  }

  /** The live process a pid file's {@code text} names, only if it is the one that was recorded. */
  static Optional<ProcessHandle> identify(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 2) {
      return Optional.empty(); // an old or foreign file: its process cannot be told apart
    }
    try {
      long pid = Long.parseLong(parts[0]);
      Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (p.isEmpty() || parts[1].equals("-")) {
        return Optional.empty();
      }
      long started = Long.parseLong(parts[1]);
      return p.filter(
          h ->
              h.info()
                  .startInstant()
                  .map(i -> Math.abs(i.toEpochMilli() - started) < 1_000)
                  .orElse(false));
    } catch (NumberFormatException e) {
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
