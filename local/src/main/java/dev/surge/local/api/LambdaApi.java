package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import dev.surge.local.function.FunctionConfig;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Lambda (REST-JSON) over the local function: its configuration as Lambda reports it. The function
 * runs its handler in the local cloud's JVM, so it has no code package: no {@code CodeSha256},
 * {@code CodeSize} or code location. Its memory and timeout are the local function's.
 */
final class LambdaApi implements Service {
  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
  private static final String FUNCTIONS = ApiRequest.LAMBDA_PREFIX + "functions";

  private final LocalChain chain;
  private final String revision = UUID.randomUUID().toString();

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
    return List.of("ListFunctions", "GetFunction", "GetFunctionConfiguration");
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
      default -> throw new IllegalStateException(r.operation());
    };
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
        "LoggingConfig", struct("LogFormat", "Text", "LogGroup", chain.functionLogGroup()));
  }
}
