package dev.surge.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of its own for one {@code cdk deploy} or {@code cdk destroy}'s cloud assembly, removed
 * when the command is done. The CDK CLI locks its output folder while it synthesizes, so two
 * commands sharing {@code infra/cdk.out} (a deploy and a destroy, or either and a {@code deploy
 * --dry-run}, from the same checkout at once) make the second fail with "Another CLI is currently
 * synthing to cdk.out".
 */
final class AssemblyFolder implements AutoCloseable {
  private final Path dir;

  /**
   * A new empty folder in the system's temporary folder.
   *
   * @throws UncheckedIOException if it cannot be made
   */
  AssemblyFolder() {
    try {
      this.dir = Files.createTempDirectory("surge-cdk-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for the CDK's cloud assembly", e);
    }
  }

  /** The CDK CLI's option that writes the assembly here. */
  List<String> option() {
    return List.of("--output", dir.toString());
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A folder left in the temporary folder; nothing reads it again.
    }
  }
}
