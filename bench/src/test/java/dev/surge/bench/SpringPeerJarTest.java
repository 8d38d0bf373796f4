package dev.surge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the bench finds the Spring peer's jar, and what it says when the peer is not built. */
class SpringPeerJarTest {
  @TempDir Path root;

  private Path surgeJar() throws IOException {
    Files.createDirectories(root.resolve("bench-spring"));
    Files.writeString(root.resolve("bench-spring").resolve("pom.xml"), "<project/>");
    Path jar = root.resolve("cli").resolve("target").resolve("surge.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "");
    return jar;
  }

  private void buildPeer() throws IOException {
    Path jar = root.resolve(SpringPeerJar.IN_CHECKOUT);
    Files.createDirectories(jar.resolveSibling("lib"));
    Files.writeString(jar, "");
  }

  @Test
  void theCheckoutsBuiltPeerIsFoundFromTheSurgeJarOrTheBuildsClasses() throws IOException {
    Path surge = surgeJar();
    buildPeer();

    SpringPeerJar fromJar = SpringPeerJar.fromCodeOf(Optional.of(surge));
    SpringPeerJar fromClasses =
        SpringPeerJar.fromCodeOf(Optional.of(root.resolve("cli").resolve("target/classes")));

    assertThat(fromJar.jar()).contains(root.resolve(SpringPeerJar.IN_CHECKOUT));
    assertThat(fromJar.missing()).isEmpty();
    assertThat(fromClasses.jar()).isEqualTo(fromJar.jar());
  }

  @Test
  void aPeerNotBuiltIsReportedWithHowToBuildIt() throws IOException {
    Path surge = surgeJar();

    SpringPeerJar peer = SpringPeerJar.fromCodeOf(Optional.of(surge));

    assertThat(peer.jar()).isEmpty();
    assertThat(peer.missing())
        .contains("the Spring peer is not built")
        .contains("mvn -pl bench-spring -am package -Dmaven.test.skip=true")
        .contains("./surge bench");
  }

  @Test
  void aJarWithoutItsLibrariesIsNotBuilt() throws IOException {
    Path surge = surgeJar();
    Path jar = root.resolve(SpringPeerJar.IN_CHECKOUT);
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "");

    assertThat(SpringPeerJar.fromCodeOf(Optional.of(surge)).jar()).isEmpty();
  }

  @Test
  void outsideACheckoutTheVariableIsNamed() throws IOException {
    Path elsewhere = root.resolve("opt").resolve("surge.jar");
    Files.createDirectories(elsewhere.getParent());

    SpringPeerJar peer = SpringPeerJar.fromCodeOf(Optional.of(elsewhere));

    assertThat(peer.jar()).isEmpty();
    assertThat(peer.missing()).contains(SpringPeerJar.VARIABLE);
  }

  @Test
  void theVariableWinsAndAMissingFileIsSaidSo() throws IOException {
    Path jar = root.resolve("peer.jar");
    Files.writeString(jar, "");

    assertThat(SpringPeerJar.find(Map.of(SpringPeerJar.VARIABLE, jar.toString())).jar())
        .contains(jar);
    SpringPeerJar absent =
        SpringPeerJar.find(Map.of(SpringPeerJar.VARIABLE, root.resolve("no.jar").toString()));
    assertThat(absent.jar()).isEmpty();
    assertThat(absent.missing()).contains("is not a file").contains("mvn -pl bench-spring");
  }
}
