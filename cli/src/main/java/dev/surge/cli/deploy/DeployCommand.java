package dev.surge.cli.deploy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** {@code surge deploy}: the whole pipeline into an AWS account, with the CDK app and Jib. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Deploy the pipeline to AWS: build the trigger's Lambda jar and the CDK app, deploy the"
          + " stack with the pinned CDK CLI, then build the worker image with Jib (no Docker"
          + " daemon) and push it to the stack's ECR repository.",
      "Credentials and region come from the standard AWS chain (AWS_PROFILE, AWS_REGION, ...).",
      "--dry-run only synthesizes the CloudFormation template (no credentials needed)."
    })
public final class DeployCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--dry-run", description = "Synthesize the template into infra/cdk.out only.")
  boolean dryRun;

  @Option(names = "--prefix", description = "Name prefix for a second, separate pipeline.")
  String prefix;

  @Option(
      names = "--image-tag",
      description = "Tag of the worker image (default: a timestamp, so each deploy is distinct).")
  String imageTag;

  @Option(
      names = "--no-image-push",
      description =
          "Deploy the stack only; build and push the worker image yourself (e.g. from CI) with"
              + " './surge image --to <RepositoryUri>:<tag>' before the first task starts.")
  boolean noImagePush;

  @Option(
      names = "--base-image",
      paramLabel = "REF",
      description =
          "Base image of the worker (default "
              + WorkerImage.DEFAULT_BASE
              + "), e.g. a mirror in a registry of your own.")
  String baseImage;

  @Option(
      names = {"-c", "--context"},
      description = "Extra CDK context, key=value (repeatable; see docs/deploy.md).")
  List<String> context = new ArrayList<>();

  @Option(names = "--skip-build", description = "Use the jars already built.", hidden = true)
  boolean skipBuild;

  /** Called by the command factory. */
  public DeployCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (baseImage != null) {
      WorkerImage.requireReference(baseImage, "--base-image");
    }
    if (imageTag != null && !WorkerImage.isTag(imageTag)) {
      throw new ConfigException(
          "--image-tag '"
              + imageTag
              + "' is not an image tag: up to 128 letters, digits, '_', '.' and '-', not starting"
              + " with '.' or '-'");
    }
    SourceTree tree = SourceTree.locate();
    String tag =
        imageTag != null
            ? imageTag
            : ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Map<String, String> ctx = context(tree, tag);
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    AwsAccount account = new AwsAccount(clients);
    GetCallerIdentityResponse me = null;
    if (!dryRun) {
      me = account.identity();
      out.printf(
          "Deploying to account %s in %s as %s%n",
          me.account(), clients.target().region(), me.arn());
      account.requireBootstrap(me.account());
    }
    if (!skipBuild) {
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
    if (dryRun) {
      Path outDir = tree.infra().resolve("cdk.out");
      Commands.Result synth =
          cdk.run(List.of("synth", "--quiet", "--output", outDir.toString()), ctx, env, out);
      if (!synth.ok()) {
        throw new ConfigException("cdk synth failed:\n" + synth.tail());
      }
      Path template = outDir.resolve(stackName() + ".template.json");
      out.printf("%nTemplate written: %s%n", template);
      printResources(out, template);
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
                  stackName(),
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
      WorkerImage image =
          new WorkerImage(reference, Optional.ofNullable(baseImage), false, Optional.empty());
      if (noImagePush) {
        out.printf("Not pushing the worker image (--no-image-push).%n");
      } else {
        out.printf("Building and pushing the worker image to %s (Jib)...%n", reference);
        Commands.Result jib =
            image.withCredentials(Optional.of(account.registryCredentials())).push(tree, out);
        if (!jib.ok()) {
          throw new ConfigException(DeployErrors.explain("the image push", jib.tail()));
        }
      }
      out.printf("%nDeployed stack %s to %s:%n", stackName(), clients.target().region());
      new TreeMap<>(stack).forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
      out.printf("  %-22s %s%s%n", "WorkerImage", reference, noImagePush ? " (not pushed)" : "");
      if (noImagePush) {
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

  private String stackName() {
    return (prefix == null ? "" : prefix) + "Surge";
  }

  private Map<String, String> context(SourceTree tree, String tag) {
    Map<String, String> ctx = new LinkedHashMap<>();
    ctx.put("lambdaJar", tree.lambdaJar().toString());
    ctx.put("imageTag", tag);
    if (prefix != null) {
      ctx.put("prefix", prefix);
    }
    for (String kv : context) {
      int i = kv.indexOf('=');
      if (i <= 0) {
        throw new ConfigException("--context '" + kv + "' is not key=value");
      }
      ctx.put(kv.substring(0, i), kv.substring(i + 1));
    }
    return ctx;
  }

  private Map<String, String> readOutputs(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode stack = root.get(stackName());
    Map<String, String> out = new LinkedHashMap<>();
    if (stack != null) {
      for (Map.Entry<String, JsonNode> e : stack.properties()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    if (!out.containsKey("RepositoryUri")) {
      throw new ConfigException("the stack's outputs lack RepositoryUri; was it deployed?");
    }
    return out;
  }

  private static void printResources(PrintWriter out, Path template) throws IOException {
    JsonNode resources = new ObjectMapper().readTree(template.toFile()).get("Resources");
    Map<String, Integer> byType = new TreeMap<>();
    resources.forEach(r -> byType.merge(r.get("Type").asText(), 1, Integer::sum));
    out.printf("%d resources:%n", resources.size());
    byType.forEach((t, n) -> out.printf("  %3d  %s%n", n, t));
  }
}
