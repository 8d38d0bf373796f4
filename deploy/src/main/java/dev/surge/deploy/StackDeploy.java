package dev.surge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.standins.SourceTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code surge deploy}: the whole pipeline into an AWS account. Builds the trigger's Lambda jar and
 * the CDK app, deploys the stack with the pinned CDK CLI, then builds the worker image with Jib (no
 * Docker daemon) and pushes it to the stack's ECR repository; or, dry, only synthesizes the
 * template.
 */
public final class StackDeploy {
  /**
   * What to deploy.
   *
   * @param dryRun synthesize the template into {@code infra/cdk.out} only
   * @param prefix the name prefix of a second, separate pipeline
   * @param imageTag the worker image's tag (default: the time, so each deploy is distinct)
   * @param pushImage whether to build and push the worker image after the stack
   * @param baseImage the worker image's base (default {@link WorkerImage#DEFAULT_BASE})
   * @param context extra CDK context, after the app's own keys
   * @param build whether to build the jars first (false: use those already built)
   */
  public record Request(
      boolean dryRun,
      Optional<String> prefix,
      Optional<String> imageTag,
      boolean pushImage,
      Optional<String> baseImage,
      Map<String, String> context,
      boolean build) {
    /** Checks the image's tag and base, copies the context. */
    public Request {
      baseImage.ifPresent(b -> WorkerImage.requireReference(b, "--base-image"));
      imageTag.ifPresent(
          t -> {
            if (!WorkerImage.isTag(t)) {
              throw new ConfigException(
                  "--image-tag '"
                      + t
                      + "' is not an image tag: up to 128 letters, digits, '_', '.' and '-', not"
                      + " starting with '.' or '-'");
            }
          });
      context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    /** The stack's name: the prefix and {@code Surge}. */
    public String stackName() {
      return prefix.orElse("") + "Surge";
    }
  }

  private final Request request;
  private final Map<String, String> env;
  private final PrintWriter out;

  /** Deploys as {@code request} says, with AWS's settings from {@code env}, telling {@code out}. */
  public StackDeploy(Request request, Map<String, String> env, PrintWriter out) {
    this.request = request;
    this.env = env;
    this.out = out;
  }

  /**
   * Deploys (or synthesizes): 0 when done, 1 when the build failed.
   *
   * @throws ConfigException when the account, the CDK or the image push refuses, saying why
   */
  public int run() throws IOException {
    SourceTree tree = SourceTree.locate();
    String tag =
        request
            .imageTag()
            .orElseGet(
                () ->
                    ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Map<String, String> ctx = context(tree, tag);
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    AwsAccount account = new AwsAccount(clients);
    if (!request.dryRun()) {
      GetCallerIdentityResponse me = account.identity();
      out.printf(
          "Deploying to account %s in %s as %s%n",
          me.account(), clients.target().region(), me.arn());
      account.requireBootstrap(me.account());
    }
    if (request.build()) {
      out.println("Building the trigger's Lambda jar and the CDK app (mvn package)...");
      Commands.Result build =
          Commands.run(
              List.of(
                  "mvn",
                  "-B",
                  "-q",
                  "-pl",
                  "trigger,infra",
                  "-am",
                  "package",
                  "-Dmaven.test.skip=true",
                  "-Dspotless.check.skip=true"),
              tree.root(),
              Map.of(),
              out);
      if (!build.ok()) {
        out.println("surge: the build failed (see above)");
        return 1;
      }
    }
    CdkToolkit cdk = CdkToolkit.install(tree);
    if (request.dryRun()) {
      Path outDir = tree.infra().resolve("cdk.out");
      Commands.Result synth =
          cdk.run(List.of("synth", "--quiet", "--output", outDir.toString()), ctx, env, out);
      if (!synth.ok()) {
        throw new ConfigException("cdk synth failed:\n" + synth.tail());
      }
      Path template = outDir.resolve(request.stackName() + ".template.json");
      out.printf("%nTemplate written: %s%n", template);
      printResources(template);
      out.printf("%nNext: './surge deploy' (needs AWS credentials and a bootstrapped account).%n");
      return 0;
    }
    Path outputs = Files.createTempFile("surge-outputs", ".json");
    try (AssemblyFolder assembly = new AssemblyFolder()) {
      out.println("Deploying the stack (cdk deploy)...");
      List<String> args =
          new ArrayList<>(
              List.of(
                  "deploy",
                  request.stackName(),
                  "--require-approval",
                  "never",
                  "--outputs-file",
                  outputs.toString()));
      args.addAll(assembly.option());
      Commands.Result deploy = cdk.run(args, ctx, env, out);
      if (!deploy.ok()) {
        throw new ConfigException(DeployErrors.explain("cdk deploy", deploy.tail()));
      }
      Map<String, String> stack = readOutputs(outputs);
      String reference = stack.get("RepositoryUri") + ":" + tag;
      WorkerImage image = new WorkerImage(reference, request.baseImage(), false, Optional.empty());
      if (!request.pushImage()) {
        out.printf("Not pushing the worker image (--no-image-push).%n");
      } else {
        out.printf("Building and pushing the worker image to %s (Jib)...%n", reference);
        Commands.Result jib =
            image.withCredentials(Optional.of(account.registryCredentials())).push(tree, out);
        if (!jib.ok()) {
          throw new ConfigException(DeployErrors.explain("the image push", jib.tail()));
        }
      }
      out.printf("%nDeployed stack %s to %s:%n", request.stackName(), clients.target().region());
      new TreeMap<>(stack).forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
      out.printf(
          "  %-22s %s%s%n", "WorkerImage", reference, request.pushImage() ? "" : " (not pushed)");
      if (!request.pushImage()) {
        out.printf(
            "%nThe task definition runs %s: push it before tasks start, e.g.%n"
                + "  ./surge image --to %s%n",
            reference, reference);
      }
      out.printf(
          "%nNext:%n  ./surge demo --target aws     # produce 1100 messages and watch the chain%n"
              + "  ./surge status --target aws   # one snapshot%n"
              + "  ./surge destroy               # remove everything%n");
      return 0;
    } finally {
      Files.deleteIfExists(outputs);
    }
  }

  private Map<String, String> context(SourceTree tree, String tag) {
    Map<String, String> ctx = new LinkedHashMap<>();
    ctx.put("lambdaJar", tree.lambdaJar().toString());
    ctx.put("imageTag", tag);
    request.prefix().ifPresent(p -> ctx.put("prefix", p));
    ctx.putAll(request.context());
    return ctx;
  }

  private Map<String, String> readOutputs(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode stack = root.get(request.stackName());
    Map<String, String> outputs = new LinkedHashMap<>();
    if (stack != null) {
      for (Map.Entry<String, JsonNode> e : stack.properties()) {
        outputs.put(e.getKey(), e.getValue().asText());
      }
    }
    if (!outputs.containsKey("RepositoryUri")) {
      throw new ConfigException("the stack's outputs lack RepositoryUri; was it deployed?");
    }
    return outputs;
  }

  private void printResources(Path template) throws IOException {
    JsonNode resources = new ObjectMapper().readTree(template.toFile()).get("Resources");
    Map<String, Integer> byType = new TreeMap<>();
    resources.forEach(r -> byType.merge(r.get("Type").asText(), 1, Integer::sum));
    out.printf("%d resources:%n", resources.size());
    byType.forEach((t, n) -> out.printf("  %3d  %s%n", n, t));
  }
}
