package dev.surge.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.surge.standins.aws.MotoServer;
import java.io.IOException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * credentials of the function's role; plus the emulator's endpoint. What the invocation prints goes
 * to the function's log group, written with the role's credentials as Lambda writes them.
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
  // Authorization token -> the role credentials that endpoint hands out (SnapStart versions).
  private final Map<String, AwsCredentials> containerCredentials = new ConcurrentHashMap<>();

  /**
   * One invocation, as its caller and the function's logs see it.
   *
   * @param function the function's name
   * @param event the event, as JSON
   * @param exitCode the runtime's exit code: 0 when the handler returned
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

  /** Runs {@code function} with {@code event} now and returns how it went. */
  synchronized Invocation invoke(String function, String event) {
    GetFunctionConfigurationResponse config = configuration(function);
    AwsCredentials role = roles.apply(config.role());
    String requestId = UUID.randomUUID().toString();
    String group = config.loggingConfig().logGroup();
    String version = config.version();
    String stream =
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
    env.put("SURGE_TEST_REQUEST_ID", requestId);
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
    Path result = dir.resolve(requestId + ".result");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // The flags the other short-lived JVMs of the tests run with: C1 only, one GC thread.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            LambdaRuntimeMain.class.getName(),
            jar.toString(),
            config.handler(),
            result.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    List<String> log = new ArrayList<>();
    int code;
    try {
      Process p = pb.start();
      p.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        out += "\nTask timed out after " + TIMEOUT.toSeconds() + " seconds";
      }
      code = p.isAlive() ? -1 : p.exitValue();
      log.add("START RequestId: " + requestId + " Version: " + version);
      out.lines().forEach(log::add);
      log.add("END RequestId: " + requestId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String answer = "";
    try {
      answer = Files.exists(result) ? Files.readString(result, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LogShipper shipper = new LogShipper(logsAs.apply(role), group, stream, Clock.systemUTC());
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

  /** Stops listening and waits for invocations in flight. */
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
  }
}
