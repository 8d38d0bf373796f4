package dev.surge.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
                    "SURGE_POLL_WAIT_SECONDS", "3",
                    "SURGE_IDLE_SECONDS", "0.25",
                    "SURGE_VISIBILITY_SECONDS", "45",
                    "SURGE_SHUTDOWN_GRACE_SECONDS", "10",
                    "SURGE_STARTUP_RETRY_SECONDS", "5")));
    assertThat(s.queue()).isEqualTo("q");
    assertThat(s.table()).isEqualTo("t");
    assertThat(s.concurrency()).isEqualTo(8);
    assertThat(s.pollWait()).isEqualTo(Duration.ofSeconds(3));
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "0.5", "1.5", "20.001", "-1", "soon"})
  void aPollWaitThatIsNotALongPollIsRefusedNamingTheVariable(String value) {
    // 0 is short polling: an idle worker spun, 1,097 empty receives in 5 s; SQS takes whole
    // seconds, so 0.5 was sent as 0 and 1.5 as 1.
    assertThatThrownBy(
            () -> WorkerSettings.fromEnvironment(new Env(Map.of("SURGE_POLL_WAIT_SECONDS", value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SURGE_POLL_WAIT_SECONDS='" + value + "'")
        .hasMessageContaining("whole number of seconds, 1..20")
        .hasMessageContaining("0 is short polling");
  }

  @Test
  void settingsMadeInCodeRefuseAShortPollToo() {
    assertThatThrownBy(() -> WorkerSettings.defaults().withPollWait(Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("poll wait 0 s is not a long poll");
    assertThatThrownBy(() -> WorkerSettings.defaults().withPollWait(Duration.ofMillis(1500)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("poll wait 1.5 s is not a long poll");
    assertThat(WorkerSettings.defaults().withPollWait(Duration.ofSeconds(1)).pollWait())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(WorkerSettings.defaults().withPollWait(Duration.ofSeconds(20)).pollWait())
        .isEqualTo(Duration.ofSeconds(20));
  }
}
