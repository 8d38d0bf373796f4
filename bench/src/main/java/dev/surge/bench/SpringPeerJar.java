package dev.surge.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code surge bench} finds the Spring peer (module {@code bench-spring}), which no module of
 * Surge depends on: its jar, built with its dependencies beside it in {@code lib/}, in the same
 * checkout as the running {@code surge.jar} ({@code bench-spring/target/surge-bench-spring.jar}),
 * or where {@value #VARIABLE} says.
 *
 * @param jar the jar, if found
 * @param missing why not, and how to build it (empty when found)
 */
record SpringPeerJar(Optional<Path> jar, String missing) {
  /** The variable naming the jar, to use another than the checkout's. */
  static final String VARIABLE = "SURGE_BENCH_SPRING_JAR";

  /** The peer's jar, relative to the checkout's root. */
  static final Path IN_CHECKOUT = Path.of("bench-spring", "target", "surge-bench-spring.jar");

  /** The peer's main class (named here: the cli does not depend on the module). */
  static final String MAIN_CLASS = "dev.surge.bench.spring.SpringPeer";

  /** How to build the peer. */
  static final String BUILD =
      "build it with `mvn -pl bench-spring -am package -Dmaven.test.skip=true` at the checkout's root"
          + " (`./surge bench` builds it when it is missing or stale)";

  /** Finds the jar from {@code env} or from where this class was loaded. */
  static SpringPeerJar find(Map<String, String> env) {
    String named = env.get(VARIABLE);
    if (named != null && !named.isBlank()) {
      Path jar = Path.of(named);
      return Files.isRegularFile(jar)
          ? found(jar)
          : missing(VARIABLE + "=" + named + " is not a file; unset it or " + BUILD);
    }
    return fromCodeOf(codeLocation());
  }

  /** Finds the jar in the checkout holding {@code code} (a jar or a classes directory). */
  static SpringPeerJar fromCodeOf(Optional<Path> code) {
    Optional<Path> root = code.flatMap(SpringPeerJar::checkout);
    if (root.isEmpty()) {
      return missing(
          "surge.jar is not in a Surge checkout, so the Spring peer's jar was not looked for; set "
              + VARIABLE
              + " to its bench-spring/target/surge-bench-spring.jar");
    }
    Path jar = root.get().resolve(IN_CHECKOUT);
    return Files.isRegularFile(jar) && Files.isDirectory(jar.resolveSibling("lib"))
        ? found(jar)
        : missing("the Spring peer is not built (no " + IN_CHECKOUT + "): " + BUILD);
  }

  // The nearest directory above the code holding the peer's module.
  private static Optional<Path> checkout(Path code) {
    for (Path d = code.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("bench-spring").resolve("pom.xml"))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> codeLocation() {
    try {
      return Optional.of(
          Path.of(SpringPeerJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static SpringPeerJar found(Path jar) {
    return new SpringPeerJar(Optional.of(jar), "");
  }

  private static SpringPeerJar missing(String why) {
    return new SpringPeerJar(Optional.empty(), why);
  }
}
