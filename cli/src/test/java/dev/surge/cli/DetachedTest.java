package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pid file names the detached local cloud only while that very process runs: one left by a crash
 * or a reboot, whose id now belongs to an unrelated process, is never taken for it (so {@code surge
 * stop} signals nothing, and {@code up --detach} starts).
 */
class DetachedTest {
  private Process unrelated;

  @BeforeEach
  void start() throws Exception {
    unrelated = new ProcessBuilder("sleep", "300").start();
  }

  @AfterEach
  void stop() {
    unrelated.destroyForcibly();
  }

  @Test
  void theRecordedProcessIsFound() {
    assertThat(Detached.identify(Detached.record(unrelated.toHandle())))
        .map(ProcessHandle::pid)
        .contains(unrelated.pid());
  }

  @Test
  void aStalePidFileNamingAnotherProcessNamesNothing() {
    long started = unrelated.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    // The same id, recorded for a process that started an hour earlier (before a reboot, say).
    assertThat(Detached.identify(unrelated.pid() + " " + (started - 3_600_000))).isEmpty();
    // A file of the old format, the id alone, cannot tell the processes apart.
    assertThat(Detached.identify(Long.toString(unrelated.pid()))).isEmpty();
    assertThat(Detached.identify("garbage")).isEmpty();
    assertThat(unrelated.isAlive()).isTrue();
  }

  @Test
  void aProcessThatEndedIsNotRunning() throws Exception {
    String record = Detached.record(unrelated.toHandle());
    unrelated.destroyForcibly().waitFor();
    assertThat(Detached.identify(record)).isEmpty();
  }

  @Test
  void theBackgroundJvmGetsThisOnesOptionsButNoneThatBelongToThisRunAlone() {
    assertThat(
            Detached.jvmOptions(
                java.util.List.of(
                    "-XX:TieredStopAtLevel=1",
                    "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                    "-XX:+UseSerialGC",
                    "-javaagent:/x/agent.jar",
                    "-XX:SharedArchiveFile=/x/surge.jsa",
                    "-XX:StartFlightRecording=filename=/x/r.jfr",
                    "-XX:ArchiveClassesAtExit=/x/a.jsa",
                    "-Xmx1g",
                    "-Dsurge.x=y")))
        .containsExactly(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:SharedArchiveFile=/x/surge.jsa",
            "-Xmx1g",
            "-Dsurge.x=y");
  }
}
