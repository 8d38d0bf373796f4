package dev.surge.cli.deploy;

import dev.surge.core.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Surge checkout the running jar was built from: deploying builds the trigger's jar, the CDK
 * app and the worker image from it.
 */
public record SourceTree(Path root) {

  /** The checkout holding the running jar ({@code <root>/cli/target/surge.jar}), or the cwd. */
  public static SourceTree locate() {
    Optional<Path> fromJar = jarLocation().map(j -> j.getParent().getParent().getParent());
    for (Path candidate : new Path[] {fromJar.orElse(null), Path.of("").toAbsolutePath()}) {
      if (candidate != null && Files.isRegularFile(candidate.resolve("infra/cdk.json"))) {
        return new SourceTree(candidate.normalize());
      }
    }
    throw new ConfigException(
        "deploying needs the Surge source checkout (its infra/ and trigger/ modules); run"
            + " './surge deploy' from the repository root");
  }

  /** The CDK app's folder. */
  public Path infra() {
    return root.resolve("infra");
  }

  /** The trigger's Lambda jar, built by the {@code trigger} module. */
  public Path lambdaJar() {
    return root.resolve("trigger/target/surge-trigger-lambda.jar");
  }

  private static Optional<Path> jarLocation() {
    try {
      Path p =
          Path.of(SourceTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) && p.getParent() != null && p.getParent().getParent() != null
          ? Optional.of(p)
          : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
