package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.surge.local.function.FunctionConfig;
import dev.surge.local.function.LocalFunction;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Lambda (REST-JSON) over the local function: its configuration as Lambda reports it, and {@code
 * Invoke}, which runs its handler on the payload as Lambda does: synchronously ({@code
 * RequestResponse}: the result, or the error object with {@code X-Amz-Function-Error: Unhandled},
 * and the log's last 4 KB for {@code LogType: Tail}), asynchronously ({@code Event}: 202 at once,
 * failed invocations retried as Lambda retries them) or not at all ({@code DryRun}: 204). The
 * function runs its handler in the local cloud's JVM: its code is the jar the handler's class is
 * loaded from, whose SHA-256 and size are its {@code CodeSha256} and {@code CodeSize} (none when
 * the class comes from a folder, as in a build's own tests); there is no code location to download
 * it from. Its memory and timeout are the local function's.
 */
final class LambdaApi implements Service {
  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
  private static final String FUNCTIONS = ApiRequest.LAMBDA_PREFIX + "functions";

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** Lambda's largest payload of a synchronous invocation: 6 MB. */
  static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;

  /** Lambda's largest payload of an asynchronous invocation: 1 MB. */
  static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;

  /** How much of an invocation's log {@code LogType: Tail} returns: its last 4 KB. */
  static final int LOG_TAIL_BYTES = 4 * 1024;

  private final LocalChain chain;
  private final String revision = UUID.randomUUID().toString();
  private volatile Optional<Map<String, Object>> code;

  LambdaApi(LocalChain chain) {
    this.chain = chain;
  }

  @Override
  public String signingName() {
    return "lambda";
  }

  @Override
  public String title() {
    return "Lambda";
  }

  @Override
  public List<String> operations() {
    return List.of("ListFunctions", "GetFunction", "GetFunctionConfiguration", "Invoke");
  }

  /** The operation of a REST call, from its method and path (Lambda API Reference's routes). */
  @Override
  public ApiRequest route(ApiRequest r) {
    String path = r.path();
    String rest =
        path.equals(FUNCTIONS) || path.startsWith(FUNCTIONS + "/")
            ? path.substring(FUNCTIONS.length())
            : null;
    if (rest == null) {
      return r.withOperation(r.method() + " " + path);
    }
    String[] parts =
        rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/");
    String op =
        switch (parts.length) {
          case 0 -> r.method().equals("GET") ? "ListFunctions" : "CreateFunction";
          case 1 ->
              switch (r.method()) {
                case "GET" -> "GetFunction";
                case "DELETE" -> "DeleteFunction";
                default -> r.method() + " " + path;
              };
          case 2 ->
              switch (parts[1] + " " + r.method()) {
                case "configuration GET" -> "GetFunctionConfiguration";
                case "configuration PUT" -> "UpdateFunctionConfiguration";
                case "invocations POST" -> "Invoke";
                case "code PUT" -> "UpdateFunctionCode";
                case "versions GET" -> "ListVersionsByFunction";
                case "aliases GET" -> "ListAliases";
                case "policy GET" -> "GetPolicy";
                default -> r.method() + " " + path;
              };
          default -> r.method() + " " + path;
        };
    return r.withOperation(op);
  }

  @Override
  public Object call(ApiRequest r) {
    return switch (r.operation()) {
      case "ListFunctions" -> struct("Functions", List.of(configuration()));
      case "GetFunction" -> {
        function(r);
        yield struct("Configuration", configuration(), "Code", struct("RepositoryType", "S3"));
      }
      case "GetFunctionConfiguration" -> {
        function(r);
        yield configuration();
      }
      case "Invoke" -> {
        function(r);
        yield invoke(r);
      }
      default -> throw new IllegalStateException(r.operation());
    };
  }

  /** {@code Invoke}: the handler runs on the payload, now or later, as the invocation type says. */
  private Wire.Raw invoke(ApiRequest r) {
    String type = r.header("X-Amz-Invocation-Type").orElse("RequestResponse");
    int limit =
        switch (type) {
          case "RequestResponse", "DryRun" -> MAX_SYNC_PAYLOAD;
          case "Event" -> MAX_ASYNC_PAYLOAD;
          default ->
              throw new ApiException(
                  "InvalidParameterValueException",
                  "InvocationType must be RequestResponse, Event or DryRun, was '" + type + "'",
                  400);
        };
    if (r.body().length > limit) {
      throw new ApiException(
          "RequestTooLargeException",
          "Request must be smaller than " + limit + " bytes for the Invoke operation",
          413);
    }
    String payload = new String(r.body(), StandardCharsets.UTF_8);
    if (!payload.isBlank()) {
      try {
        JSON.readTree(payload);
      } catch (JsonProcessingException e) {
        throw new ApiException(
            "InvalidRequestContentException",
            "Could not parse request body into json: " + e.getOriginalMessage(),
            400);
      }
    }
    LocalFunction function = chain.function();
    return switch (type) {
      case "DryRun" -> raw(204, Map.of(), new byte[0], Optional.empty());
      case "Event" -> {
        function.invokeLater(payload, chain.scheduler(), chain.topic().config().policy());
        yield raw(202, Map.of(), new byte[0], Optional.empty());
      }
      default -> {
        LocalFunction.Invocation i = function.invoke(payload);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Executed-Version", "$LATEST");
        if (i.failed()) {
          headers.put("X-Amz-Function-Error", "Unhandled");
        }
        if (r.header("X-Amz-Log-Type").map("Tail"::equals).orElse(false)) {
          headers.put("X-Amz-Log-Result", tail(i.log()));
        }
        yield raw(
            200, headers, i.payload().getBytes(StandardCharsets.UTF_8), Optional.of(i.requestId()));
      }
    };
  }

  private static Wire.Raw raw(
      int status, Map<String, String> headers, byte[] body, Optional<String> requestId) {
    return new Wire.Raw(status, headers, "application/json", body, requestId);
  }

  /** The last {@value #LOG_TAIL_BYTES} bytes of {@code lines}, Base64, as Lambda's log result. */
  static String tail(List<String> lines) {
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l).append('\n'));
    byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] last =
        all.length <= LOG_TAIL_BYTES
            ? all
            : Arrays.copyOfRange(all, all.length - LOG_TAIL_BYTES, all.length);
    return Base64.getEncoder().encodeToString(last);
  }

  /**
   * Checks that the path's function (a name, a full or partial ARN, with an optional {@code
   * :qualifier}) and the {@code Qualifier} parameter name the local function's {@code $LATEST}.
   */
  private void function(ApiRequest r) {
    String given = r.path().substring(FUNCTIONS.length() + 1).split("/")[0];
    String ref =
        given.contains("function:") ? given.substring(given.indexOf("function:") + 9) : given;
    String[] nameAndQualifier = ref.split(":", 2);
    Optional<String> qualifier =
        Params.text(r.input(), "Qualifier")
            .or(
                () ->
                    nameAndQualifier.length > 1
                        ? Optional.of(nameAndQualifier[1])
                        : Optional.empty());
    FunctionConfig config = chain.function().config();
    if (!nameAndQualifier[0].equals(config.name())
        || !qualifier.map("$LATEST"::equals).orElse(true)) {
      String arn = chain.arn("lambda", "function:" + nameAndQualifier[0]);
      throw new ApiException(
          "ResourceNotFoundException",
          "Function not found: " + arn + qualifier.map(q -> ":" + q).orElse(""),
          404);
    }
  }

  private Map<String, Object> configuration() {
    FunctionConfig c = chain.function().config();
    return struct(
        "FunctionName", c.name(),
        "FunctionArn", c.arn(),
        "Runtime", "java21",
        "Handler", chain.handler(),
        // Recorded, not assumed: the local cloud has no IAM.
        "Role", "arn:aws:iam::" + chain.account() + ":role/" + c.name(),
        "Description", "Surge trigger: alarm notification -> scaling decision -> tasks (local)",
        "Timeout", (int) c.timeout().toSeconds(),
        "MemorySize", c.memoryMb(),
        "LastModified", LAST_MODIFIED.format(chain.createdAt()),
        "Version", "$LATEST",
        "TracingConfig", struct("Mode", "PassThrough"),
        "RevisionId", revision,
        "State", "Active",
        "LastUpdateStatus", "Successful",
        "PackageType", "Zip",
        "Architectures", List.of("x86_64"),
        "EphemeralStorage", struct("Size", 512),
        "SnapStart", struct("ApplyOn", "None", "OptimizationStatus", "Off"),
        "LoggingConfig", struct("LogFormat", "Text", "LogGroup", chain.functionLogGroup()),
        "CodeSha256", code().map(m -> m.get("CodeSha256")).orElse(null),
        "CodeSize", code().map(m -> m.get("CodeSize")).orElse(null));
  }

  /** The handler's jar: its SHA-256 (Base64, as Lambda gives it) and size, read once. */
  private Optional<Map<String, Object>> code() {
    Optional<Map<String, Object>> c = code;
    if (c == null) {
      c = readCode(chain.handler());
      code = c;
    }
    return c;
  }

  private static Optional<Map<String, Object>> readCode(String handler) {
    String className =
        handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    try {
      CodeSource source =
          Class.forName(className, false, LambdaApi.class.getClassLoader())
              .getProtectionDomain()
              .getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path jar = Path.of(source.getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(jar);
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Optional.of(
          struct(
              "CodeSha256",
              Base64.getEncoder().encodeToString(sha),
              "CodeSize",
              (long) bytes.length));
    } catch (ReflectiveOperationException
        | URISyntaxException
        | IOException
        | NoSuchAlgorithmException
        | RuntimeException e) {
      return Optional.empty();
    }
  }
}
