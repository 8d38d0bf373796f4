package dev.surge.local.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's class-data sharing (AppCDS) archive: the classes a worker loads, parsed and verified
 * once and mapped from a file by every later worker, which then starts on less CPU. The archive is
 * made on first use: while none exists for this JVM, class path and options, one task at a time
 * runs with {@code -XX:ArchiveClassesAtExit} writing a file of its own, which is renamed into place
 * atomically once that task has exited 0; every task started after that maps it with {@code
 * -XX:SharedArchiveFile}. Tasks started at once, or by launchers in several processes, thus never
 * see a half-written archive.
 *
 * <p>The archive's file name is a digest of what it must match exactly: the JVM's home and version,
 * the JVM options, and every class path entry (and the entries its manifest's {@code Class-Path}
 * names) with its size and modification time. A rebuilt jar or another JDK gets a new archive; the
 * JVM also checks the match itself and, on a mismatch, runs without the archive. Thread-safe.
 */
public final class ClassDataArchive {
  private static final Logger log = LoggerFactory.getLogger(ClassDataArchive.class);

  /** Archives of other builds kept in the directory (the newest), besides this one's. */
  private static final int KEEP_OTHERS = 3;

  /**
   * Archives of other class paths made this recently are kept too: those of several local clouds in
   * use at once (a build's test modules each start workers from a class path of their own), which
   * would otherwise remove each other's and make them again.
   */
  private static final java.time.Duration KEEP_RECENT = java.time.Duration.ofHours(1);

  private final Path file;

  /**
   * The archives a task of this JVM is making: one writer per archive in the JVM, whatever the
   * number of launchers (a JVM that runs several local clouds at once, as a test JVM does, wrote
   * the same archive in several tasks at once, each costing a task's start twice over).
   */
  private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

  private ClassDataArchive(Path file) {
    this.file = file;
  }

  /**
   * The archive of {@code command} in {@code directory} (created when needed).
   *
   * @throws UncheckedIOException if a class path entry cannot be read
   */
  public static ClassDataArchive of(WorkerCommand command, Path directory) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(directory, "directory");
    return new ClassDataArchive(directory.resolve("worker-" + digest(command) + ".jsa"));
  }

  /** Where the archive is, or will be once made. */
  public Path file() {
    return file;
  }

  /** Whether the archive has been made. */
  public boolean exists() {
    return Files.isRegularFile(file);
  }

  /**
   * The options of the next task: map the archive if it exists; else, if no task of this JVM is
   * making it (whichever launcher started that task), make it (call {@link Launch#exited(int)} when
   * that task's process has ended); else none.
   */
  public Launch next() {
    if (exists()) {
      return new Launch(List.of("-XX:SharedArchiveFile=" + file), Optional.empty());
    }
    if (!TRAINING.add(file)) {
      return new Launch(List.of(), Optional.empty());
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      TRAINING.remove(file);
      log.warn("cannot create {}: {}; workers start without class-data sharing", file, e);
      return new Launch(List.of(), Optional.empty());
    }
    Path partial =
        file.resolveSibling(
            file.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".part");
    return new Launch(List.of("-XX:ArchiveClassesAtExit=" + partial), Optional.of(partial));
  }

  /**
   * The JVM options of one task's start.
   *
   * @param options placed before the class path
   * @param making the file this task writes its archive to when it exits
   */
  public record Launch(List<String> options, Optional<Path> making) {
    /** Copies the options. */
    public Launch {
      options = List.copyOf(options);
      Objects.requireNonNull(making, "making");
    }
  }

  /**
   * Called when the task that was given {@code launch} has exited with {@code exitCode}: a task
   * that made the archive and exited 0 publishes it; any other leaves the next task to try.
   */
  public void exited(Launch launch, int exitCode) {
    if (launch.making().isEmpty()) {
      return;
    }
    Path partial = launch.making().get();
    try {
      if (exitCode == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
        Files.move(
            partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("class-data sharing archive of the worker written: {}", file);
        pruneOthers();
      } else {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      log.warn("cannot publish the class-data sharing archive {}: {}", file, e.toString());
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // left behind; a later archive's pruning does not look at .part files of others
      }
    } finally {
      TRAINING.remove(file);
    }
  }

  // Archives are tens of megabytes: keep this one and the few newest of other builds.
  private void pruneOthers() throws IOException {
    List<Path> others = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), "worker-*.jsa")) {
      for (Path p : dir) {
        if (!p.equals(file)) {
          others.add(p);
        }
      }
    }
    others.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
    long recent = System.currentTimeMillis() - KEEP_RECENT.toMillis();
    for (Path p : others.subList(Math.min(KEEP_OTHERS, others.size()), others.size())) {
      if (modified(p).toMillis() >= recent) {
        continue;
      }
      // A running JVM that maps it keeps its mapping; a later one makes a new archive.
      Files.deleteIfExists(p);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static String digest(WorkerCommand command) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<String> parts = new ArrayList<>();
    parts.add(command.java());
    parts.add(System.getProperty("java.vm.version", ""));
    // Logging options do not change what an archive must match.
    command.jvmOptions().stream().filter(o -> !o.startsWith("-Xlog")).forEach(parts::add);
    for (String entry : command.classPath().split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      parts.add(stamp(p));
      for (Path named : manifestClassPath(p)) {
        parts.add(stamp(named));
      }
    }
    for (String part : parts) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  private static String stamp(Path p) {
    try {
      return p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return p + "|absent";
    }
  }

  private static List<Path> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      if (f.getManifest() == null) {
        return List.of();
      }
      String cp = f.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp == null || cp.isBlank()) {
        return List.of();
      }
      List<Path> named = new ArrayList<>();
      for (String e : cp.trim().split("\\s+")) {
        named.add(jar.resolveSibling(e).normalize());
      }
      return named;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar, e);
    }
  }
}
