package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pinned dynalite (the committed {@code package.json} and {@code package-lock.json})
 * with {@code npm ci} into a cache folder named after the lockfile's hash, once per machine. The
 * install happens in a temporary sibling folder that is renamed into place, so concurrent first
 * runs cannot see half an install.
 */
final class DynaliteInstall {
  private static final Logger log = LoggerFactory.getLogger(DynaliteInstall.class);
  private static final String RESOURCES = "/dev/surge/standins/dynalite/";
  private static final String[] FILES = {"package.json", "package-lock.json", "launch.js"};

  private DynaliteInstall() {}

  /**
   * The folder holding {@code launch.js} and {@code node_modules/dynalite}, installed if needed.
   */
  static Path ensure(Path cacheRoot) {
    byte[] lock = resource("package-lock.json");
    byte[] launcher = resource("launch.js");
    Path target = cacheRoot.resolve("dynalite-" + hash(lock, launcher));
    if (Files.isRegularFile(target.resolve("node_modules/dynalite/package.json"))) {
      return target;
    }
    Path npm = NodeRuntime.npm();
    try {
      Files.createDirectories(cacheRoot);
      Path tmp = Files.createTempDirectory(cacheRoot, ".dynalite-install-");
      for (String f : FILES) {
        Files.write(tmp.resolve(f), resource(f));
      }
      log.info("Installing dynalite (pinned) into {} with npm ci (first run only)", target);
      // --ignore-scripts: dynalite runs in memory; the optional native LevelDB build is not used.
      NodeRuntime.run(
          tmp,
          300,
          npm.toString(),
          "ci",
          "--ignore-scripts",
          "--no-audit",
          "--no-fund",
          "--loglevel=error");
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        deleteTree(tmp); // another process installed it first
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      return target;
    } catch (IOException e) {
      throw new ConfigException(
          "could not install dynalite, the local DynamoDB stand-in, with npm: "
              + e.getMessage()
              + "\nCheck that the npm registry is reachable. "
              + NodeRuntime.ESCAPE_HATCH,
          e);
    }
  }

  /** The default cache root: {@code $SURGE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/surge}. */
  static Path defaultCacheRoot() {
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

  private static byte[] resource(String name) {
    try (InputStream in = DynaliteInstall.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCES + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
