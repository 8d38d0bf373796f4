package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short {@code surge chaos} run: the packaged jar, as a user runs it, on 10,000 messages with
 * every fault of the schedule. The command's own accounting is the assertion: nothing lost, every
 * poison message in the dead-letter queue, the fleet within its cap; each fault injected and seen
 * to hit something.
 */
class ChaosIT {
  private static final Path JAR = Path.of("target", "surge.jar");

  @TempDir Path dir;

  @Test
  void tenThousandMessagesThroughEveryFaultLoseNothing() throws Exception {
    Path out = dir.resolve("chaos.json");
    Path err = dir.resolve("chaos.log");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(SurgeJar.command());
    cmd.addAll(
        List.of(
            "chaos",
            "--messages",
            "10000",
            "--visibility",
            "10",
            "--logs",
            dir.resolve("logs").toString(),
            "--json"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String log = Files.readString(err);
    assertThat(done).as("surge chaos finished; its log:%n%s", log).isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as("exit; output %s; log:%n%s", text, log).isZero();

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
