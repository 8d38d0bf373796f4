package dev.surge.cli.deploy;

import dev.surge.core.ConfigException;
import dev.surge.deploy.StackDeploy;
import dev.surge.deploy.WorkerImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    StackDeploy.Request request =
        new StackDeploy.Request(
            dryRun,
            Optional.ofNullable(prefix),
            Optional.ofNullable(imageTag),
            !noImagePush,
            Optional.ofNullable(baseImage),
            context(),
            !skipBuild);
    return new StackDeploy(request, env, spec.commandLine().getOut()).run();
  }

  /** The --context pairs, in their order. */
  private Map<String, String> context() {
    Map<String, String> ctx = new LinkedHashMap<>();
    for (String kv : context) {
      int i = kv.indexOf('=');
      if (i <= 0) {
        throw new ConfigException("--context '" + kv + "' is not key=value");
      }
      ctx.put(kv.substring(0, i), kv.substring(i + 1));
    }
    return ctx;
  }
}
