package dev.surge.local.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.aws.AwsTarget;
import dev.surge.worker.WorkerMain;
import dev.surge.worker.WorkerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's pure parts: the task environment, the command line, the worker's lines. */
class LauncherPartsTest {
  private static final AwsTarget TARGET =
      AwsTarget.local(URI.create("http://127.0.0.1:9324"), URI.create("http://127.0.0.1:8000"));

  private static LauncherSettings settings() {
    return LauncherSettings.of(TARGET, "demo-decoupling-saa", "fasttracksaa", 4, Path.of("logs"));
  }

  @Test
  void aTaskGetsItsIdentityTheEndpointsTheResourcesAndTheStdinStop() {
    Map<String, String> env = TaskEnvironment.of(settings(), "task-0007");
    assertThat(env)
        .containsEntry("SURGE_TASK_ID", "task-0007")
        .containsEntry("SURGE_HOST", "task-0007")
        .containsEntry("SURGE_QUEUE", "demo-decoupling-saa")
        .containsEntry("SURGE_TABLE", "fasttracksaa")
        .containsEntry("SURGE_STOP_ON_STDIN_EOF", "true")
        .containsEntry("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324")
        .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("AWS_DEFAULT_REGION", "us-east-1")
        .containsKey("AWS_ACCESS_KEY_ID")
        .doesNotContainKeys("SURGE_CONCURRENCY", "SURGE_POLL_WAIT_SECONDS", "SURGE_IDLE_SECONDS");
  }

  @Test
  void tuningBecomesTheWorkersVariablesInSeconds() {
    LauncherSettings s =
        settings()
            .withTuning(
                WorkerTuning.defaults()
                    .withConcurrency(2)
                    .withPollWait(Duration.ofSeconds(2))
                    .withIdleWindow(Duration.ofSeconds(3)))
            .withExtraEnvironment(Map.of("SURGE_LOG_LEVEL", "DEBUG"));
    assertThat(TaskEnvironment.of(s, "task-0001"))
        .containsEntry("SURGE_CONCURRENCY", "2")
        .containsEntry("SURGE_POLL_WAIT_SECONDS", "2")
        .containsEntry("SURGE_IDLE_SECONDS", "3")
        .containsEntry("SURGE_LOG_LEVEL", "DEBUG");
    assertThat(TaskEnvironment.seconds(Duration.ofMillis(250))).isEqualTo("0.25");
    // The workers would refuse a short poll (exit 2): the launcher does not pass one on.
    assertThatThrownBy(() -> WorkerTuning.defaults().withPollWait(Duration.ZERO))
        .hasMessageContaining("poll wait must be whole seconds, 1..20");
  }

  @Test
  void theLaunchersOwnSettingsDoNotLeakIntoTasks() {
    assertThat(TaskEnvironment.isInheritedSetting("SURGE_CONCURRENCY")).isTrue();
    assertThat(TaskEnvironment.isInheritedSetting("AWS_PROFILE")).isTrue();
    assertThat(TaskEnvironment.isInheritedSetting("PATH")).isFalse();
    assertThatThrownBy(() -> settings().withExtraEnvironment(Map.of("SURGE_TASK_ID", "x")))
        .hasMessageContaining("SURGE_TASK_ID");
  }

  @Test
  void settingsRejectAnEmptyFleet() {
    assertThatThrownBy(() -> LauncherSettings.of(TARGET, "q", "t", 0, Path.of("logs")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWorkerRunsFromThisJvmsClassPathWithTheChosenOptions() {
    WorkerCommand c = WorkerCommand.current();
    assertThat(c.mainClass()).isEqualTo(WorkerMain.class.getName());
    assertThat(c.command())
        .startsWith(
            c.java(),
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-XX:TieredStopAtLevel=1",
            "-Xms32m",
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp")
        .endsWith(c.classPath(), WorkerMain.class.getName());
    assertThat(c.withJvmOptions(java.util.List.of()).command())
        .containsExactly(c.java(), "-cp", c.classPath(), c.mainClass());
  }

  @Test
  void theWorkerRunsFromTheJarsOfThisClassPathWhenSurgesModulesAreJars() {
    String here = System.getProperty("java.class.path");
    // This test's own classes are a directory on its class path.
    assertThat(here.split(java.io.File.pathSeparator))
        .anyMatch(e -> java.nio.file.Files.isDirectory(java.nio.file.Path.of(e)));
    WorkerCommand c = WorkerCommand.current();
    if (WorkerMain.class
        .getProtectionDomain()
        .getCodeSource()
        .getLocation()
        .getPath()
        .endsWith(".jar")) {
      // The build's own run (the worker module packaged): the directories left out, an archive.
      assertThat(c.classPath()).isEqualTo(WorkerCommand.jarsOf(here)).isNotEqualTo(here);
      assertThat(c.classData()).isPresent();
    } else {
      // Run where the worker's module is a directory of classes: the class path whole, no archive.
      assertThat(c.classPath()).isEqualTo(here);
      assertThat(c.classData()).isEmpty();
    }
    assertThat(WorkerCommand.jarsOf("/a/x.jar:/b/classes::/c/y.jar:/d/test-classes"))
        .isEqualTo("/a/x.jar:/c/y.jar");
  }

  @Test
  void theWorkerKeepsItsClassDataArchiveInTheCacheAndGetsItsOptionsPerLaunch() {
    WorkerCommand c =
        WorkerCommand.current()
            .withClassData(
                java.util.Optional.of(
                    dev.surge.standins.PinnedNodePackage.defaultCacheRoot().resolve("cds")));
    assertThat(c.classData())
        .contains(dev.surge.standins.PinnedNodePackage.defaultCacheRoot().resolve("cds"));
    assertThat(c.withClassData(java.util.Optional.empty()).classData()).isEmpty();
    assertThat(c.command(java.util.List.of("-XX:SharedArchiveFile=a.jsa")))
        .containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=a.jsa", "-cp");
    // A command made from parts has no archive unless given one.
    assertThat(new WorkerCommand("java", "cp", "Main", java.util.List.of()).classData()).isEmpty();
  }

  @Test
  void theSummaryLineGivesTheItemsWritten() {
    assertThat(
            WorkerSummary.itemsWritten(
                WorkerRunner.SUMMARY_PREFIX + "{\"taskId\":\"t\",\"written\":250,\"deleted\":250}"))
        .hasValue(250);
    assertThat(WorkerSummary.itemsWritten(WorkerRunner.SUMMARY_PREFIX + "{not json")).isEmpty();
    assertThat(WorkerSummary.itemsWritten("12:00:00 INFO written 3")).isEmpty();
    assertThat(WorkerSummary.isReady(WorkerRunner.READY_PREFIX + "{\"taskId\":\"t\"}")).isTrue();
    assertThat(WorkerSummary.isReady("SURGE_WORKER_SUMMARY {}")).isFalse();
  }
}
