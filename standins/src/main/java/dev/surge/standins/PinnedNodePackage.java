package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An npm package set pinned by a committed {@code package.json} and {@code package-lock.json},
 * installed with {@code npm ci} into a cache folder named after the files' hash, once per machine.
 * The install happens in a temporary sibling folder that is renamed into place, so concurrent or
 * interrupted first runs never see half an install.
 */
public final class PinnedNodePackage {
  private static final Logger log = LoggerFactory.getLogger(PinnedNodePackage.class);
  private static final String MARKER = ".surge-installed";

  private PinnedNodePackage() {}

  /**
   * The install folder of {@code files} (name → content; must include {@code package.json} and
   * {@code package-lock.json}) under {@code cacheRoot}, running {@code npm ci} first if needed.
   *
   * @param name short name of the folder, e.g. {@code dynalite}
   * @param what what it is, for messages, e.g. "dynalite, the local DynamoDB stand-in"
   * @throws ConfigException when npm is missing or the install fails
   */
  public static Path install(String name, String what, Map<String, byte[]> files, Path cacheRoot) {
    Path target = cacheRoot.resolve(name + "-" + hash(files));
    if (Files.exists(target.resolve(MARKER))) {
      return target;
    }
    Path npm = NodeRuntime.npm(what);
    try {
      Files.createDirectories(cacheRoot);
      Path tmp = Files.createTempDirectory(cacheRoot, "." + name + "-install-");
      try {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          Files.write(tmp.resolve(f.getKey()), f.getValue());
        }
        log.info("Installing {} (pinned) into {} with npm ci (first run only)", what, target);
        // --ignore-scripts: nothing Surge uses needs an install script (dynalite runs in memory).
        NodeRuntime.run(
            tmp,
            600,
            npm.toString(),
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error");
        Files.writeString(tmp.resolve(MARKER), "npm ci complete\n");
        publish(tmp, target);
      } finally {
        deleteTree(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new ConfigException(
          "could not install "
              + what
              + " with npm: "
              + e.getMessage()
              + "\nCheck that the npm registry is reachable.",
          e);
    }
  }

  /** {@code $SURGE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/surge}, else {@code ~/.cache/surge}. */
  public static Path defaultCacheRoot() {
    Optional<String> own = Optional.ofNullable(System.getenv("SURGE_CACHE_DIR"));
    if (own.isPresent() && !own.get().isBlank()) {
      return Path.of(own.get());
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("surge");
  }

  /**
   * Moves a complete install into place. Another process may have published the same install first
   * (two commands, or two test JVMs, started at once after the pinned files changed): then its copy
   * is used and {@code staging} is left to the caller to delete. A rename onto a folder that is not
   * empty fails with a plain {@link FileSystemException} on Linux ({@code ENOTEMPTY}), not with
   * {@link DirectoryNotEmptyException}, so any failure is checked against the target.
   */
  static void publish(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (Files.exists(target.resolve(MARKER))) {
        return; // published by another process: complete, and the same pinned files
      }
      if (!Files.exists(target) && !(e instanceof AtomicMoveNotSupportedException)) {
        throw e;
      }
      // A folder left by an interrupted non-atomic move, or no atomic move on this file system.
      deleteTree(target);
      Files.move(staging, target);
    }
  }

  /** The file that marks a complete install (written last, before the install is published). */
  static Path marker(Path install) {
    return install.resolve(MARKER);
  }

  private static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
        md.update(f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(f.getValue());
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
