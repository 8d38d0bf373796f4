package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the worker's AppCDS archive is made once, published whole, and matched to its jars. */
class ClassDataArchiveTest {
  @TempDir Path dir;
  private Path jar;
  private Path lib;
  private WorkerCommand command;

  @BeforeEach
  void jars() throws Exception {
    lib = Files.createDirectories(dir.resolve("app/lib")).resolve("dep.jar");
    Files.write(lib, new byte[] {1, 2, 3});
    jar = dir.resolve("app/app.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/dep.jar");
    new JarOutputStream(Files.newOutputStream(jar), m).close(); // a manifest is all it needs
    command = new WorkerCommand("java", jar.toString(), "Main", List.of("-XX:+UseSerialGC"));
  }

  private ClassDataArchive archive() {
    return ClassDataArchive.of(command, dir.resolve("cds"));
  }

  @Test
  void theFirstTaskMakesTheArchiveAndTheOthersMeanwhileRunWithout() {
    ClassDataArchive a = archive();
    ClassDataArchive.Launch first = a.next();
    assertThat(first.making()).isPresent();
    assertThat(first.options())
        .singleElement()
        .isEqualTo("-XX:ArchiveClassesAtExit=" + first.making().get());
    assertThat(first.making().get().getParent()).isEqualTo(a.file().getParent());
    assertThat(first.making().get()).isNotEqualTo(a.file());
    // Started while the first is still running: no second writer.
    ClassDataArchive.Launch second = a.next();
    assertThat(second.options()).isEmpty();
    assertThat(second.making()).isEmpty();
  }

  @Test
  void anotherLauncherOfTheSameJvmDoesNotWriteTheArchiveAgainMeanwhile() {
    ClassDataArchive.Launch first = archive().next();
    assertThat(first.making()).isPresent();
    // A second local cloud in this JVM, with the same class path and options.
    ClassDataArchive other = archive();
    assertThat(other.next().options()).isEmpty();
    // Once the first writer has exited without an archive, the next task tries again.
    other.exited(first, 137);
    assertThat(other.next().making()).isPresent();
  }

  @Test
  void aCleanExitPublishesTheArchiveWholeAndLaterTasksMapIt() throws Exception {
    ClassDataArchive a = archive();
    ClassDataArchive.Launch first = a.next();
    Files.write(first.making().get(), new byte[] {42});
    a.exited(first, 0);
    assertThat(a.exists()).isTrue();
    assertThat(first.making().get()).doesNotExist();
    assertThat(a.next().options()).containsExactly("-XX:SharedArchiveFile=" + a.file());
    // Another launcher (another process) of the same build finds it too.
    assertThat(archive().next().options()).containsExactly("-XX:SharedArchiveFile=" + a.file());
  }

  @Test
  void aFailedOrKilledTaskLeavesNoArchiveAndTheNextTaskTriesAgain() throws Exception {
    ClassDataArchive a = archive();
    ClassDataArchive.Launch first = a.next();
    Files.write(first.making().get(), new byte[] {42});
    a.exited(first, 137);
    assertThat(a.exists()).isFalse();
    assertThat(first.making().get()).doesNotExist();
    ClassDataArchive.Launch again = a.next();
    assertThat(again.making()).isPresent();
    a.exited(again, 0); // exited 0 but wrote nothing: nothing to publish
    assertThat(a.exists()).isFalse();
    assertThat(a.next().making()).isPresent();
  }

  @Test
  void aRebuiltJarOrOtherOptionsGetAnotherArchive() throws Exception {
    Path before = archive().file();
    assertThat(archive().file()).isEqualTo(before);
    assertThat(
            ClassDataArchive.of(
                    command.withJvmOptions(List.of("-XX:+UseSerialGC", "-Xlog:class+load")),
                    dir.resolve("cds"))
                .file())
        .as("logging options do not change what an archive must match")
        .isEqualTo(before);
    assertThat(
            ClassDataArchive.of(
                    command.withJvmOptions(List.of("-XX:+UseParallelGC")), dir.resolve("cds"))
                .file())
        .isNotEqualTo(before);
    // A jar named by the manifest's Class-Path, rebuilt.
    Files.setLastModifiedTime(
        lib, FileTime.fromMillis(Files.getLastModifiedTime(lib).toMillis() + 5000));
    assertThat(archive().file()).isNotEqualTo(before);
  }

  @Test
  void publishingKeepsOnlyTheNewestArchivesOfOtherBuilds() throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    for (int i = 0; i < 5; i++) {
      Path old = cds.resolve("worker-old" + i + ".jsa");
      Files.write(old, new byte[] {1});
      Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    ClassDataArchive a = archive();
    assertThat(publishAndList(a, cds))
        .containsExactly(
            a.file().getFileName().toString(),
            "worker-old2.jsa",
            "worker-old3.jsa",
            "worker-old4.jsa");
  }

  @Test
  void publishingKeepsTheArchivesOfOtherClassPathsMadeWithinTheHour() throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      Path recent = cds.resolve("worker-recent" + i + ".jsa");
      Files.write(recent, new byte[] {1});
      Files.setLastModifiedTime(recent, FileTime.fromMillis(now - 60_000L * (i + 1)));
    }
    Path old = cds.resolve("worker-old.jsa");
    Files.write(old, new byte[] {1});
    Files.setLastModifiedTime(old, FileTime.fromMillis(now - 2 * 3_600_000L));
    ClassDataArchive a = archive();
    assertThat(publishAndList(a, cds))
        .containsExactlyInAnyOrder(
            "worker-recent0.jsa",
            "worker-recent1.jsa",
            "worker-recent2.jsa",
            "worker-recent3.jsa",
            "worker-recent4.jsa",
            a.file().getFileName().toString());
  }

  /** Makes {@code a}'s archive as a training task would, publishes it; the files then in cds. */
  private static java.util.List<String> publishAndList(ClassDataArchive a, Path cds)
      throws Exception {
    ClassDataArchive.Launch first = a.next();
    Files.write(first.making().get(), new byte[] {42});
    a.exited(first, 0);
    try (var files = Files.list(cds)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
