package dev.surge.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The AWS CDK CLI pinned by {@code infra/package-lock.json}, installed with {@code npm ci} into a
 * cache folder outside the repository ({@code $XDG_CACHE_HOME/surge/cdk-<lockfile hash>}, or {@code
 * ~/.cache/...}) and reused while the lockfile is unchanged.
 */
final class PinnedCdkCli {
  private static final String MARKER = ".surge-installed";

  private PinnedCdkCli() {}

  /**
   * The CLI's entry script ({@code node_modules/aws-cdk/bin/cdk}), installing it first if the cache
   * has no complete install for this lockfile.
   */
  static Path install(Path infraDir, Map<String, String> env, Path npm, Path log)
      throws IOException, InterruptedException {
    Path target = cacheRoot(env).resolve("cdk-" + lockHash(infraDir));
    if (!Files.exists(target.resolve(MARKER))) {
      Files.createDirectories(target.getParent());
      Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".tmp-");
      try {
        for (String file : List.of("package.json", "package-lock.json")) {
          Files.copy(infraDir.resolve(file), staging.resolve(file));
        }
        int code =
            Processes.run(
                List.of(npm.toString(), "ci", "--no-audit", "--no-fund", "--ignore-scripts"),
                staging,
                env,
                log,
                5,
                TimeUnit.MINUTES);
        if (code != 0) {
          throw new IllegalStateException(
              "npm ci of the pinned CDK CLI failed with exit "
                  + code
                  + ":\n"
                  + Processes.tail(log));
        }
        Files.writeString(staging.resolve(MARKER), "npm ci complete\n", StandardCharsets.UTF_8);
        publish(staging, target);
      } finally {
        deleteTree(staging);
      }
    }
    return target.resolve("node_modules").resolve("aws-cdk").resolve("bin").resolve("cdk");
  }

  /** {@code $XDG_CACHE_HOME/surge}, or {@code ~/.cache/surge}. */
  static Path cacheRoot(Map<String, String> env) {
    Path base =
        Optional.ofNullable(env.get("XDG_CACHE_HOME"))
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache"));
    return base.resolve("surge");
  }

  /** The first 16 hex digits of SHA-256 over package.json and package-lock.json. */
  static String lockHash(Path infraDir) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(infraDir.resolve("package.json")));
      sha.update(Files.readAllBytes(infraDir.resolve("package-lock.json")));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // A finished install appears under its final name in one step, so a concurrent or interrupted
  // run never sees half of node_modules; if another run won the race, its install is kept.
  private static void publish(Path staging, Path target) throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      if (!Files.exists(target.resolve(MARKER))) {
        deleteTree(target);
        Files.move(staging, target);
      }
    } catch (IOException e) {
      // Linux refuses to rename over a non-empty directory with this error rather than the above.
      if (!Files.exists(target.resolve(MARKER))) {
        throw e;
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
