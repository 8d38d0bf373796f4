package dev.surge.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
  @Test
  void emptyEnvironmentGivesTheSeedNamesAndDefaults() {
    WorkerSettings s = WorkerSettings.fromEnvironment(new Env(Map.of()));
    assertThat(s.queue()).isEqualTo("demo-decoupling-saa");
    assertThat(s.table()).isEqualTo("fasttracksaa");
    assertThat(s.concurrency()).isEqualTo(WorkerSettings.DEFAULT_CONCURRENCY);
    assertThat(s.visibilityTimeout()).isEmpty();
  }

  @Test
  void environmentOverridesEverySetting() {
    WorkerSettings s =
        WorkerSettings.fromEnvironment(
            new Env(
                Map.of(
                    "SURGE_QUEUE", "q",
                    "SURGE_TABLE", "t",
                    "SURGE_CONCURRENCY", "8",
                    "SURGE_POLL_WAIT_SECONDS", "1.5",
                    "SURGE_IDLE_SECONDS", "0.25",
                    "SURGE_VISIBILITY_SECONDS", "45",
                    "SURGE_SHUTDOWN_GRACE_SECONDS", "10",
                    "SURGE_STARTUP_RETRY_SECONDS", "5")));
    assertThat(s.queue()).isEqualTo("q");
    assertThat(s.table()).isEqualTo("t");
    assertThat(s.concurrency()).isEqualTo(8);
    assertThat(s.pollWait()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.idleWindow()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.visibilityTimeout()).contains(Duration.ofSeconds(45));
    assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.startupRetry()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badNumberNamesTheVariableAndTheRange() {
    assertThatThrownBy(
            () -> WorkerSettings.fromEnvironment(new Env(Map.of("SURGE_CONCURRENCY", "lots"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SURGE_CONCURRENCY='lots'")
        .hasMessageContaining("1..64");
  }

  @Test
  void pollWaitAboveTheSqsLimitIsRejected() {
    assertThatThrownBy(
            () -> WorkerSettings.fromEnvironment(new Env(Map.of("SURGE_POLL_WAIT_SECONDS", "21"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SURGE_POLL_WAIT_SECONDS");
  }
}
