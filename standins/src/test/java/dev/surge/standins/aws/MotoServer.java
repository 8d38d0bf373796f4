package dev.surge.standins.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * moto's server (an AWS emulator written by others) on a free port of 127.0.0.1, started through
 * {@code surge_moto.py}, which patches moto where it differs from what AWS documents (each patch
 * says which behaviour and why; {@link #patches()} lists them). The process exits when its standard
 * input closes, so it cannot outlive the test JVM; {@link #close()} stops it by PID.
 *
 * <p>Besides the AWS APIs it answers two control calls for this machine's stand-ins of what moto
 * cannot run: where SNS delivers Lambda events ({@link #lambdaRuntime}) and what a task's container
 * did ({@link #containerExited}).
 */
public final class MotoServer implements AutoCloseable {
  /** moto's default account. */
  public static final String ACCOUNT = "123456789012";

  /** The region the tests deploy to. */
  public static final String REGION = "us-east-1";

  private static final String RESOURCES = "/dev/surge/standins/moto/";
  private static final List<String> SCRIPTS =
      List.of("surge_moto.py", "moto_patches.py", "cbor_shim.py");
  private static final Duration START = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /**
   * Starts the patched server, its scripts and log in the folder {@code where}.
   *
   * @throws IllegalStateException when the pinned moto is missing (with what to install), or the
   *     server does not come up (with its log's tail)
   */
  public static MotoServer start(Path where) {
    Path dir = where.toAbsolutePath();
    Path python = PinnedPython.interpreter();
    try {
      Files.createDirectories(dir);
      for (String script : SCRIPTS) {
        try (InputStream in = MotoServer.class.getResourceAsStream(RESOURCES + script)) {
          if (in == null) {
            throw new IllegalStateException(script + " is missing from the test class path");
          }
          Files.write(dir.resolve(script), in.readAllBytes());
        }
      }
      Path log = dir.resolve("moto.log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  python.toString(),
                  "-u",
                  dir.resolve("surge_moto.py").toString(),
                  "--port",
                  "0",
                  "--exit-with-stdin")
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      Process p = pb.start();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> follow(p, log, port), "moto-stdout-" + p.pid());
      reader.setDaemon(true);
      reader.start();
      try {
        int bound = port.get(START.toSeconds(), TimeUnit.SECONDS);
        return new MotoServer(p, URI.create("http://127.0.0.1:" + bound), log);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "moto did not start within " + START.toSeconds() + " s; its log:\n" + tail(log), e);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting moto", e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start moto", e);
    }
  }

  /** Waits for the port line, then copies the rest of standard output into the log. */
  private static void follow(Process p, Path log, CompletableFuture<Integer> port) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!port.isDone() && line.startsWith("SURGE_MOTO_PORT=")) {
          port.complete(Integer.parseInt(line.substring("SURGE_MOTO_PORT=".length()).strip()));
          continue;
        }
        Files.writeString(
            log,
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException | RuntimeException e) {
      // The process ended; what it said is in the log.
    } finally {
      port.completeExceptionally(new IllegalStateException("moto exited (" + status(p) + ")"));
    }
  }

  private static String status(Process p) {
    try {
      return p.waitFor(2, TimeUnit.SECONDS) ? "exit " + p.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The endpoint of every AWS service, as {@code AWS_ENDPOINT_URL} takes it. */
  public URI endpoint() {
    return endpoint;
  }

  /** The server's PID. */
  public long pid() {
    return process.pid();
  }

  /** Whether the server still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Where moto logs each request and every error. */
  public Path log() {
    return log;
  }

  /**
   * What a user exports to point the AWS CLI, the CDK CLI, any SDK and {@code surge} at this
   * emulator: the endpoint, the region, and moto's static credentials (which it accepts until
   * {@link #enforceIam()}). No credentials or config files of this machine are read.
   */
  public Map<String, String> clientEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("AWS_REGION", REGION);
    env.put("AWS_DEFAULT_REGION", REGION);
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", "/nonexistent/surge/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/surge/aws-credentials");
    return env;
  }

  /**
   * From now on every request must be signed by a known identity and be allowed by its policies
   * (moto's {@code INITIAL_NO_AUTH_ACTION_COUNT}, reset to 0).
   */
  public void enforceIam() {
    post("/moto-api/reset-auth", "0", "text/plain");
  }

  /** From now on any credentials are accepted again. */
  public void relaxIam() {
    post("/moto-api/reset-auth", "inf", "text/plain");
  }

  /** SNS delivers events for Lambda functions to {@code url} (POST, JSON: functionArn, event). */
  public void lambdaRuntime(URI url) {
    post("/_surge/lambda/runtime", json(Map.of("url", url.toString())), "application/json");
  }

  /**
   * Reports that the essential container of task {@code taskArn} exited with {@code exitCode}, as
   * the ECS agent reports it: the task stops (unless a StopTask stopped it already) with reason
   * "Essential container in task exited".
   */
  public void containerExited(String cluster, String taskArn, int exitCode) {
    post(
        "/_surge/ecs/container-exited",
        json(Map.of("cluster", cluster, "task", taskArn, "exitCode", exitCode)),
        "application/json");
  }

  /**
   * From now on ListTasks leaves out tasks younger than {@code lag}, as ECS's eventually consistent
   * reads may; {@link Duration#ZERO} lists them at once again (the default).
   */
  public void ecsListLag(Duration lag) {
    post(
        "/_surge/ecs/list-lag",
        json(Map.of("seconds", lag.toMillis() / 1000.0)),
        "application/json");
  }

  /** The patches {@code surge_moto.py} applies, as it prints them. */
  public static String patches() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("surge-moto-patches");
      for (String script : SCRIPTS) {
        try (InputStream in = MotoServer.class.getResourceAsStream(RESOURCES + script)) {
          Files.write(dir.resolve(script), in.readAllBytes());
        }
      }
      Process p =
          new ProcessBuilder(
                  PinnedPython.interpreter().toString(),
                  dir.resolve("surge_moto.py").toString(),
                  "--list-patches")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Removes the folder {@link #patches()} made (scripts and Python's cache), so no run leaves one
   * behind.
   */
  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var rest = Files.walk(dir)) {
      rest.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // left for the system's temporary-file cleaning
    }
  }

  /** The last lines of the server's log, for failure messages. */
  public String logTail() {
    return tail(log);
  }

  private void post(String path, String body, String contentType) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "moto answered " + path + " with HTTP " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moto did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the server: closes its standard input, then terminates it by PID if it lingers. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
