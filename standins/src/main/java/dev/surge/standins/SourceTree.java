package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Surge checkout the running code was built from: deploying builds the trigger's jar, the CDK
 * app and the worker image from it, and {@code surge bench} measures the trigger's jar's cold
 * start.
 */
public record SourceTree(Path root) {

  /**
   * The checkout holding the running code (for {@code <root>/cli/target/surge.jar}, its {@code
   * lib/} folder: the nearest folder above that holds {@code infra/cdk.json}), or the cwd.
   */
  public static SourceTree locate() {
    Optional<Path> fromCode = codeLocation().flatMap(SourceTree::checkoutAbove);
    for (Path candidate : new Path[] {fromCode.orElse(null), Path.of("").toAbsolutePath()}) {
      if (candidate != null && isCheckout(candidate)) {
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

  private static boolean isCheckout(Path dir) {
    return Files.isRegularFile(dir.resolve("infra/cdk.json"));
  }

  private static Optional<Path> checkoutAbove(Path code) {
    for (Path d = code.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
      if (isCheckout(d)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> codeLocation() {
    try {
      return Optional.of(
          Path.of(SourceTree.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
