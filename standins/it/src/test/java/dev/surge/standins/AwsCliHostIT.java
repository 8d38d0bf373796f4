package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.standins.aws.AwsCli;
import dev.surge.standins.aws.AwsCliHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AwsCliHost} answers as the aws CLI run as a process of its own does: the same exit code
 * and output for the same command, and each command sees exactly the environment it was given, none
 * of the command before it.
 */
class AwsCliHostIT {
  @TempDir Path dir;

  private static Map<String, String> env(String region) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    env.put("AWS_CONFIG_FILE", "/nonexistent");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    if (region != null) {
      env.put("AWS_DEFAULT_REGION", region);
      env.put("AWS_ACCESS_KEY_ID", "key-" + region);
      env.put("AWS_SECRET_ACCESS_KEY", "secret");
    }
    return env;
  }

  private AwsCliHost.Run process(Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(AwsCli.executable().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new AwsCliHost.Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void answersAsAProcessOfItsOwnAndKeepsNoEnvironmentBetweenCommands() throws Exception {
    List<String> list = List.of("configure", "list");
    List<String> unknown = List.of("sqs", "no-such-operation");
    try (AwsCliHost host = AwsCliHost.start(dir.resolve("host"))) {
      AwsCliHost.Run west = host.run(env("eu-west-1"), list, 120);
      AwsCliHost.Run none = host.run(env(null), list, 120);
      AwsCliHost.Run east = host.run(env("us-east-2"), list, 120);
      AwsCliHost.Run bad = host.run(env("us-east-2"), unknown, 120);

      assertThat(west).isEqualTo(process(env("eu-west-1"), list));
      assertThat(none).isEqualTo(process(env(null), list));
      assertThat(bad).isEqualTo(process(env("us-east-2"), unknown));

      assertThat(west.exit()).isZero();
      assertThat(west.out()).contains("eu-west-1").contains("env");
      assertThat(east.out()).contains("us-east-2").doesNotContain("eu-west-1");
      // The command after one with credentials and a region has neither.
      assertThat(none.out()).doesNotContain("eu-west-1").doesNotContain("key-");
      assertThat(bad.exit()).isNotZero();
      assertThat(bad.err()).contains("Invalid choice");
    }
  }
}
