package dev.surge.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short {@code surge chaos} run, as the command runs it, on 10,000 messages with every fault of
 * the schedule. The run's own accounting is the assertion: nothing lost, every poison message in
 * the dead-letter queue, the fleet within its cap; each fault injected and seen to hit something.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChaosIT {
  @TempDir Path dir;

  @Test
  void tenThousandMessagesThroughEveryFaultLoseNothing() throws Exception {
    // surge chaos --messages 10000 --max-tasks 4 --visibility 10 --logs DIR --json: the other
    // flags' defaults. A cap of 4, not 10: every fault hits a fleet of four as it hits ten, with
    // half the worker JVMs started.
    ChaosSettings settings =
        new ChaosSettings(
            10_000, 1, 4, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1200));
    StringWriter log = new StringWriter();
    ChaosReport report = ChaosRun.run(settings, dir.resolve("logs"), new PrintWriter(log, true));
    String text = report.toJson();
    assertThat(report.passed()).as("passed; output %s; log:%n%s", text, log).isTrue();

    JsonNode json = new ObjectMapper().readTree(text);
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("produced").asLong()).isEqualTo(10_000);
    assertThat(json.get("poison").asLong()).isEqualTo(100);
    assertThat(json.get("inTable").asLong()).isEqualTo(9_900);
    assertThat(json.get("deadLetters").asLong()).isEqualTo(100);
    assertThat(json.get("poisonInDeadLetters").asLong()).isEqualTo(100);
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("maxFleet").asInt())
        .isPositive()
        .isLessThanOrEqualTo(json.get("maxTasks").asInt());
    assertThat(json.get("drained").asBoolean()).isTrue();
    assertThat(json.get("drainSeconds").asDouble()).isPositive();
    assertThat(json.get("redelivered").asLong()).isNotNegative();
    // Two killed and a fleet stopped: more tasks started than the cap, the killed ones 137.
    assertThat(json.get("tasksStarted").asInt()).isGreaterThan(json.get("maxFleet").asInt());
    assertThat(json.get("taskExitCodes").get("137").asInt()).isGreaterThanOrEqualTo(2);
    List<String> names = new ArrayList<>();
    for (JsonNode f : json.get("faults")) {
      names.add(f.get("name").asText());
      assertThat(f.get("affected").asLong()).as(f.toString()).isPositive();
      assertThat(f.get("progress").asDouble()).as(f.toString()).isBetween(0.0, 1.0);
    }
    assertThat(names)
        .containsExactly(
            "kill-2-workers",
            "sigterm-fleet",
            "sqs-unreachable-5s",
            "dynamodb-paused-5s",
            "batchwrite-throttled-10s");
    assertThat(json.get("problems")).isEmpty();
  }
}
