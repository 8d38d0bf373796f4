package dev.surge.cli;

import dev.surge.standins.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * How tests start the packaged {@code surge}: in a JVM of its own, as a user does.
 *
 * <p>The JVM compiles with C1 only, collects with one thread and maps a class-data sharing archive
 * of the jar once one exists: a test's run lasts seconds to a couple of minutes, in which C2's
 * compiling and loading the jar's classes again cost more CPU than they give back, and the suite is
 * bound by CPU on 2 cores (a short demo took 30% less CPU with the archive, measured). What the
 * command does is the same; its speed is measured by {@code surge bench}, not here.
 *
 * <p>The archive is made once per build of the jar, by a short {@code surge demo} run in the
 * background as soon as a test first asks for the command, and named after the sizes and
 * modification times of the jar and of its {@code lib/}; until it is in place, commands run without
 * it.
 */
public final class SurgeJar {
  private SurgeJar() {}

  /** The jar the build packaged. */
  public static final Path JAR = Path.of("target", "surge.jar").toAbsolutePath();

  /** The JVM flags of every test's {@code surge}, as {@code SURGE_JAVA_OPTS} takes them. */
  public static final String FLAGS = String.join(" ", JavaProcess.TEST_JVM_OPTIONS);

  private static final AtomicBoolean archiving = new AtomicBoolean();

  /**
   * {@code java}, its flags and {@code -jar target/surge.jar}: the arguments follow.
   *
   * @throws UncheckedIOException if the jar cannot be read
   */
  public static List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmOptions());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    return cmd;
  }

  /**
   * The JVM options {@link #command()} gives, as {@code ./surge} takes them from {@code
   * SURGE_JAVA_OPTS}: for tests that run the repository's script as a user does.
   */
  public static String javaOptions() {
    return String.join(" ", jvmOptions());
  }

  private static List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of(FLAGS.split(" ")));
    Path archive = archive();
    if (Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive);
      // A mismatch (which the name rules out) would run without it, silently.
      options.add("-Xlog:cds*=off");
    } else if (archiving.compareAndSet(false, true)) {
      Thread maker = new Thread(() -> make(archive), "surge-archive");
      maker.setDaemon(true);
      maker.start();
    }
    return options;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The archive's name: the jar's size and time, and those of every jar of its {@code lib/} (the
   * class path its manifest names). The JVM maps an archive only for the class path it was made
   * with, jar by jar, and says nothing of a mismatch here ({@code -Xlog:cds*=off}): a {@code lib/}
   * refreshed without the jar (a module installed, then one {@code cli} class run alone) must make
   * a new archive, not leave every command paying to map and unmap a stale one.
   */
  private static Path archive() {
    try {
      CRC32 libs = new CRC32();
      Path lib = JAR.resolveSibling("lib");
      if (Files.isDirectory(lib)) {
        try (Stream<Path> jars = Files.list(lib)) {
          for (Path j : jars.sorted().toList()) {
            String entry =
                j.getFileName()
                    + ":"
                    + Files.size(j)
                    + ":"
                    + Files.getLastModifiedTime(j).toMillis();
            libs.update(entry.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
      return JAR.resolveSibling(
          "surge-"
              + Files.size(JAR)
              + "-"
              + Files.getLastModifiedTime(JAR).toMillis()
              + "-"
              + Long.toHexString(libs.getValue())
              + "-"
              + Runtime.version().feature()
              + ".jsa");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + JAR, e);
    }
  }

  /**
   * Runs a short local demo with {@code -XX:ArchiveClassesAtExit} and moves the archive into place
   * once it has exited 0; on any failure, commands go on without one.
   */
  private static void make(Path archive) {
    Path partial =
        archive.resolveSibling(
            archive.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    Path log = archive.resolveSibling(archive.getFileName() + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(List.of(FLAGS.split(" ")));
    cmd.add("-XX:ArchiveClassesAtExit=" + partial);
    cmd.addAll(
        List.of(
            "-jar",
            JAR.toString(),
            "demo",
            "--messages",
            "200",
            "--no-dashboard",
            "--alarm-period",
            "1",
            "--idle",
            "1"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    Process p = null;
    Thread stop = null;
    try {
      p = pb.start();
      Process started = p;
      stop = new Thread(() -> stop(started), "surge-archive-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      if (p.waitFor(180, TimeUnit.SECONDS)
          && p.exitValue() == 0
          && Files.isRegularFile(partial)
          && Files.size(partial) > 0) {
        Files.move(
            partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // Commands run without the archive.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (p != null) {
        stop(p);
      }
      if (stop != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs
        }
      }
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // a .part file in target/, gone with the next clean
      }
    }
  }

  private static void stop(Process p) {
    p.destroy(); // SIGTERM: the demo stops its tasks and stand-ins in order
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
