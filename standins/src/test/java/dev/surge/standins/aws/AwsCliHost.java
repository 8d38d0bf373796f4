package dev.surge.standins.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The aws CLI ({@link AwsCli#executable()}) run for many commands by one interpreter: each command
 * goes through the CLI's own entry point ({@code awscli.clidriver.main()}, what its {@code aws}
 * script calls) with its own arguments and environment, and comes back with its exit code, standard
 * output and standard error, as a process of its own would. What is shared is the interpreter's
 * start and the CLI's imports, about three quarters of a short command's CPU (0.23 against 0.84 CPU
 * seconds a command, measured on a describe call); a test class running dozens of commands starts
 * one. Calls are serialized. {@link #close()} ends it by PID.
 */
public final class AwsCliHost implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "aws_cli_host.py";

  /** What one command did. */
  public record Run(int exit, String out, String err) {}

  private final Process process;
  private final OutputStream requests;
  private final BufferedReader replies;

  private AwsCliHost(Process process) {
    this.process = process;
    this.requests = process.getOutputStream();
    this.replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts the host with the interpreter the aws CLI's script names, its script and error log in
   * {@code scratch}.
   *
   * @throws AssertionError if there is no aws CLI
   */
  public static AwsCliHost start(Path scratch) {
    try {
      Files.createDirectories(scratch);
      Path script = scratch.resolve(SCRIPT);
      try (InputStream in = AwsCliHost.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is missing from the test class path");
        }
        Files.write(script, in.readAllBytes());
      }
      List<String> command = new ArrayList<>(interpreter(AwsCli.executable()));
      command.add(script.toString());
      Process p =
          new ProcessBuilder(command)
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(scratch.resolve("aws-cli-host.log").toFile()))
              .start();
      return new AwsCliHost(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the aws CLI host", e);
    }
  }

  /** The interpreter the script's first line names ({@code #!/path/python}, or through env). */
  static List<String> interpreter(Path script) throws IOException {
    String first;
    try (BufferedReader in = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
      first = in.readLine();
    }
    if (first == null || !first.startsWith("#!")) {
      throw new AssertionError(script + " is not a script that names its interpreter");
    }
    return List.of(first.substring(2).trim().split("\\s+"));
  }

  /**
   * Runs {@code aws <args>} with exactly {@code env} as its environment.
   *
   * @throws AssertionError if the command does not finish within {@code timeoutSeconds}, or the
   *     host has ended
   */
  public synchronized Run run(Map<String, String> env, List<String> args, long timeoutSeconds) {
    ObjectNode request = JSON.createObjectNode();
    args.forEach(request.putArray("args")::add);
    ObjectNode environment = request.putObject("env");
    env.forEach(environment::put);
    try {
      requests.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      requests.flush();
      CompletableFuture<String> line =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return replies.readLine();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      String reply = line.get(timeoutSeconds, TimeUnit.SECONDS);
      if (reply == null) {
        throw new AssertionError("the aws CLI host ended (exit " + exitCode() + ")");
      }
      JsonNode r = JSON.readTree(reply);
      return new Run(r.get("exit").asInt(), r.get("out").asText(), r.get("err").asText());
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError(
          "aws " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
    } catch (ExecutionException | IOException e) {
      throw new AssertionError("aws " + String.join(" ", args) + ": the host failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private String exitCode() {
    return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
  }

  /** Ends the host: its input closes, and it is killed by PID if it has not exited 10 s later. */
  @Override
  public void close() {
    try {
      requests.close();
    } catch (IOException e) {
      // it is stopped below
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
