package dev.surge.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.surge.standins.JavaProcess;
import dev.surge.standins.aws.MotoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;

/**
 * What the Lambda service does for a function moto holds but cannot run (running code needs
 * Docker): SNS's deliveries arrive here (moto posts them, see {@code surge_moto.py}), and each
 * invocation runs the function's handler from its jar in a process of its own ({@link
 * LambdaRuntimeMain}) with exactly the environment Lambda gives it: the function's configured
 * variables (read back with {@code GetFunctionConfiguration}), the runtime's own variables, and the
 * credentials of the function's role; plus the emulator's endpoint. As in Lambda, an environment is
 * reused: its first invocation starts the runtime and builds the handler, later ones find it warm
 * (one log stream per environment). What an invocation prints goes to the function's log group,
 * written with the role's credentials as Lambda writes them.
 *
 * <p>A function is invoked by name, ARN or qualified ARN; a qualifier (a version, or an alias,
 * resolved to its version as Lambda does) runs that version's configuration. A published version of
 * a function with SnapStart on is given its role's credentials as Lambda gives a SnapStart
 * function's runtime: not as {@code AWS_ACCESS_KEY_ID} variables, which a snapshot would keep past
 * their expiry, but from a container credentials endpoint ({@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}) served here
 * (Lambda Developer Guide, "Activating and managing Lambda SnapStart", credentials).
 *
 * <p>Invocations of one function run one at a time, as with a reserved concurrency of 1.
 */
final class LambdaStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final MotoServer moto;
  private final LambdaClient lambda;
  private final Path jar;
  private final Function<String, AwsCredentials> roles;
  private final Function<AwsCredentials, CloudWatchLogsClient> logsAs;
  private final Path dir;
  private final HttpServer server;
  private final ExecutorService async = Executors.newSingleThreadExecutor();
  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private final Map<String, GetFunctionConfigurationResponse> functions = new LinkedHashMap<>();
  // Function ARN and version -> its warm execution environment.
  private final Map<String, Environment> environments = new LinkedHashMap<>();
  // Authorization token -> the role credentials that endpoint hands out (SnapStart versions).
  private final Map<String, AwsCredentials> containerCredentials = new ConcurrentHashMap<>();

  /**
   * One invocation, as its caller and the function's logs see it.
   *
   * @param function the function's name
   * @param event the event, as JSON
   * @param exitCode 0 when the handler returned, 1 when it threw, -1 when it did not end within the
   *     timeout or its runtime died
   * @param result what the handler returned (empty when it threw)
   * @param log what it printed
   */
  record Invocation(String function, String event, int exitCode, String result, List<String> log) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * @param lambda reads function configurations (an operator's credentials)
   * @param jar the function's code: the packaged jar that was deployed
   * @param roles credentials of a role, by ARN
   * @param logsAs a CloudWatch Logs client signed with the given credentials
   */
  LambdaStandIn(
      MotoServer moto,
      LambdaClient lambda,
      Path jar,
      Function<String, AwsCredentials> roles,
      Function<AwsCredentials, CloudWatchLogsClient> logsAs,
      Path dir) {
    this.moto = moto;
    this.lambda = lambda;
    this.jar = jar;
    this.roles = roles;
    this.logsAs = logsAs;
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/invoke",
        exchange -> {
          JsonNode body = JSON.readTree(exchange.getRequestBody());
          String function = body.path("functionArn").asText();
          String event = JSON.writeValueAsString(body.path("event"));
          // Asynchronous, as SNS invokes Lambda: accepted now, run in turn.
          async.submit(
              () -> {
                try {
                  invoke(function, event);
                } catch (RuntimeException e) {
                  invocations.add(new Invocation(function, event, -2, "", List.of(e.toString())));
                }
              });
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.createContext(
        "/credentials",
        exchange -> {
          AwsCredentials c =
              containerCredentials.get(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          if (c == null) {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            return;
          }
          Map<String, String> answer = new LinkedHashMap<>();
          answer.put("AccessKeyId", c.accessKeyId());
          answer.put("SecretAccessKey", c.secretAccessKey());
          if (c instanceof AwsSessionCredentials session) {
            answer.put("Token", session.sessionToken());
          }
          answer.put("Expiration", Instant.now().plus(Duration.ofHours(1)).toString());
          byte[] bytes = JSON.writeValueAsBytes(answer);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
  }

  /**
   * A function as an invocation names it: its name and qualifier, from {@code name}, {@code
   * name:qualifier} or a (qualified) function ARN.
   */
  record FunctionId(String name, String qualifier) {
    static FunctionId of(String nameOrArn) {
      String rest =
          nameOrArn.startsWith("arn:")
              ? nameOrArn.substring(nameOrArn.indexOf(":function:") + ":function:".length())
              : nameOrArn;
      int colon = rest.indexOf(':');
      return colon < 0
          ? new FunctionId(rest, "$LATEST")
          : new FunctionId(rest.substring(0, colon), rest.substring(colon + 1));
    }
  }

  /** Listens, and tells moto to deliver Lambda events here. */
  LambdaStandIn start() {
    server.start();
    moto.lambdaRuntime(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/invoke"));
    return this;
  }

  /**
   * The configuration of {@code function} (a name, or a qualified name or ARN: then the version it
   * resolves to) as deployed, read once, then reused.
   */
  synchronized GetFunctionConfigurationResponse configuration(String function) {
    FunctionId id = FunctionId.of(function);
    return functions.computeIfAbsent(
        id.name() + ":" + id.qualifier(),
        f ->
            lambda.getFunctionConfiguration(
                b -> b.functionName(id.name()).qualifier(id.qualifier())));
  }

  /** Every invocation so far, oldest first. */
  List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /**
   * A warm execution environment: one runtime process of one function version, its log stream and
   * the lines it prints, read as they come.
   */
  private final class Environment {
    final String version;
    final String group;
    final String stream;
    final AwsCredentials role;
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    // Put after the last line: the runtime ended (compared by identity).
    private static final String GONE = new String("(gone)");

    Environment(GetFunctionConfigurationResponse config) throws IOException {
      role = roles.apply(config.role());
      version = config.version();
      group = config.loggingConfig().logGroup();
      // One stream per execution environment, as Lambda names it.
      stream =
          LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
              + "/["
              + version
              + "]"
              + UUID.randomUUID().toString().replace("-", "");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("TZ", ":UTC");
      env.putAll(config.environment().variables());
      env.put("AWS_LAMBDA_FUNCTION_NAME", config.functionName());
      env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(config.memorySize()));
      env.put("AWS_LAMBDA_LOG_GROUP_NAME", group);
      env.put("AWS_LAMBDA_LOG_STREAM_NAME", stream);
      env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + config.runtimeAsString());
      env.putAll(MotoClients.of(moto.endpoint(), role).environment());
      if (snapStart(config)) {
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        env.remove("AWS_SESSION_TOKEN");
        String token = UUID.randomUUID().toString();
        containerCredentials.put(token, role);
        env.put(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
      }
      // The options the other short-lived JVMs of the tests run with: C1 only, one GC thread.
      List<String> cmd = new ArrayList<>();
      cmd.add(JavaProcess.java());
      cmd.addAll(JavaProcess.TEST_JVM_OPTIONS);
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              LambdaRuntimeMain.class.getName(),
              jar.toString(),
              config.handler()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(env);
      process = pb.start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process is gone
                }
                lines.add(GONE);
              },
              "lambda-runtime-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * Runs one invocation: its exit code (0 returned, 1 threw, -1 no end within the timeout or the
     * environment died, which then is gone) and what it printed.
     */
    int invoke(String requestId, Path event, Path result, List<String> log) throws IOException {
      process
          .getOutputStream()
          .write(
              (requestId + "\t" + event + "\t" + result + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      try {
        while (true) {
          String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (line == null) {
            log.add("Task timed out after " + TIMEOUT.toSeconds() + " seconds");
            return -1;
          }
          if (line == GONE) {
            log.add(
                process.waitFor(10, TimeUnit.SECONDS)
                    ? "Runtime exited with exit code " + process.exitValue()
                    : "Runtime closed its output");
            return -1;
          }
          if (line.startsWith(LambdaRuntimeMain.END + requestId + " ")) {
            return Integer.parseInt(
                line.substring((LambdaRuntimeMain.END + requestId + " ").length()).strip());
          }
          log.add(line);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    void close() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs {@code function} with {@code event} now, in the warm environment of its version (started
   * on the first invocation, and again after one timed out or died), and returns how it went.
   */
  synchronized Invocation invoke(String function, String event) {
    GetFunctionConfigurationResponse config = configuration(function);
    String key = config.functionArn() + "#" + config.version();
    String requestId = UUID.randomUUID().toString();
    Path eventFile = dir.resolve(requestId + ".event");
    Path result = dir.resolve(requestId + ".result");
    List<String> log = new ArrayList<>();
    int code;
    Environment environment;
    try {
      environment = environments.get(key);
      if (environment == null || !environment.process.isAlive()) {
        environment = new Environment(config);
        environments.put(key, environment);
      }
      Files.writeString(eventFile, event, StandardCharsets.UTF_8);
      log.add("START RequestId: " + requestId + " Version: " + environment.version);
      code = environment.invoke(requestId, eventFile, result, log);
      log.add("END RequestId: " + requestId);
      if (code < 0) {
        environments.remove(key).close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String answer = "";
    try {
      answer = Files.exists(result) ? Files.readString(result, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LogShipper shipper =
        new LogShipper(
            logsAs.apply(environment.role),
            environment.group,
            environment.stream,
            Clock.systemUTC());
    log.forEach(shipper::line);
    shipper.flush();
    Invocation inv =
        new Invocation(FunctionId.of(function).name(), event, code, answer, List.copyOf(log));
    invocations.add(inv);
    return inv;
  }

  /** Whether {@code config} is a published version that Lambda starts from a SnapStart snapshot. */
  static boolean snapStart(GetFunctionConfigurationResponse config) {
    return !"$LATEST".equals(config.version())
        && config.snapStart() != null
        && config.snapStart().applyOn() == SnapStartApplyOn.PUBLISHED_VERSIONS;
  }

  /**
   * Stops listening, waits for invocations in flight, then ends every environment (its runtime
   * exits when its input ends).
   */
  @Override
  public void close() {
    server.stop(0);
    async.shutdown();
    try {
      if (!async.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        async.shutdownNow();
      }
    } catch (InterruptedException e) {
      async.shutdownNow();
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      environments.values().forEach(Environment::close);
      environments.clear();
    }
  }
}
