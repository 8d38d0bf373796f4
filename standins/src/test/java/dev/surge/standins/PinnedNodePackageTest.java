package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedNodePackageTest {
  @TempDir Path cache;

  private Path complete(String name, String content) throws IOException {
    Path dir = Files.createDirectories(cache.resolve(name));
    Files.writeString(dir.resolve("launch.js"), content);
    Files.writeString(PinnedNodePackage.marker(dir), "npm ci complete\n");
    return dir;
  }

  @Test
  void anInstallMovesIntoPlace() throws IOException {
    Path staging = complete(".dynalite-install-1", "mine");
    Path target = cache.resolve("dynalite-abc");

    PinnedNodePackage.publish(staging, target);

    assertThat(target.resolve("launch.js")).hasContent("mine");
    assertThat(staging).doesNotExist();
  }

  @Test
  void anInstallPublishedFirstByAnotherProcessIsKept() throws IOException {
    // Two processes installed the same pinned files at once; the other one's rename came first,
    // and a rename onto a folder that is not empty fails with a plain FileSystemException.
    Path target = complete("dynalite-abc", "theirs");
    Path staging = complete(".dynalite-install-2", "mine");

    PinnedNodePackage.publish(staging, target);

    assertThat(target.resolve("launch.js")).hasContent("theirs");
    assertThat(PinnedNodePackage.marker(target)).exists();
  }

  @Test
  void aFolderLeftIncompleteIsReplaced() throws IOException {
    Path target = Files.createDirectories(cache.resolve("dynalite-abc"));
    Files.writeString(target.resolve("half-written"), "x");
    Path staging = complete(".dynalite-install-3", "mine");

    PinnedNodePackage.publish(staging, target);

    assertThat(target.resolve("launch.js")).hasContent("mine");
    assertThat(target.resolve("half-written")).doesNotExist();
  }

  @Test
  void anyOtherFailureIsReported() {
    Path staging = cache.resolve(".dynalite-install-4"); // never created
    assertThatThrownBy(() -> PinnedNodePackage.publish(staging, cache.resolve("dynalite-abc")))
        .isInstanceOf(IOException.class);
  }
}
