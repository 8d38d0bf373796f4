package dev.surge.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.aws.AwsCliHost;
import dev.surge.standins.aws.PinnedPython;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The aws CLI and Python scripts run as a user runs them against the local cloud, knowing nothing
 * but what {@code surge up} prints: {@code AWS_ENDPOINT_URL}, the region and the local credentials.
 */
final class AwsTools implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a tool did. */
  record Run(int exit, String out, String err) {}

  private final URI endpoint;
  private final Path scratch;
  private AwsCliHost cli;

  /** Tools pointed at {@code endpoint}, writing their output under {@code scratch}. */
  AwsTools(URI endpoint, Path scratch) {
    this.endpoint = endpoint;
    this.scratch = scratch;
  }

  /**
   * Makes {@code env} what a user has after pasting what {@code surge up} prints: no AWS or Surge
   * variable of this machine, {@code AWS_ENDPOINT_URL} at {@code endpoint}, the region and the
   * local credentials, and no AWS config or credentials file.
   */
  static Map<String, String> userEnvironment(Map<String, String> env, URI endpoint) {
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "surge-local");
    env.put("AWS_SECRET_ACCESS_KEY", "surge-local");
    env.put("AWS_CONFIG_FILE", "/nonexistent");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    return env;
  }

  /** Runs {@code command} with the user's environment; its exit code and output. */
  Run run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    userEnvironment(pb.environment(), endpoint);
    Path out = Files.createTempFile(scratch, "tool", ".out");
    Path err = Files.createTempFile(scratch, "tool", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * The aws CLI with {@code args} and the user's environment (one interpreter for all of this
   * object's commands: {@link AwsCliHost}).
   */
  synchronized Run cli(String... args) {
    if (cli == null) {
      cli = AwsCliHost.start(scratch.resolve("aws-cli"));
    }
    AwsCliHost.Run run =
        cli.run(userEnvironment(new HashMap<>(System.getenv()), endpoint), List.of(args), 180);
    return new Run(run.exit(), run.out(), run.err());
  }

  /** The aws CLI with {@code args}, which must succeed; its JSON output. */
  JsonNode aws(String... args) throws Exception {
    Run run = cli(args);
    assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.err()).isZero();
    return JSON.readTree(run.out().isBlank() ? "{}" : run.out());
  }

  /** The aws CLI with {@code args}, which must fail; its standard error. */
  String awsFails(String... args) throws Exception {
    Run run = cli(args);
    assertThat(run.exit()).as(String.join(" ", args)).isNotZero();
    return run.err();
  }

  /** The Python script {@code src/test/resources/<script>} with boto3, and {@code args}. */
  Run python(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(PinnedPython.interpreter().toString());
    command.add(Path.of("src", "test", "resources").resolve(script).toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Ends the aws CLI's interpreter, if one was started. */
  @Override
  public synchronized void close() {
    if (cli != null) {
      cli.close();
    }
  }
}
