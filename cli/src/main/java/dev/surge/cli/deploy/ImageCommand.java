package dev.surge.cli.deploy;

import dev.surge.deploy.ImagePush;
import dev.surge.deploy.WorkerImage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code surge image}: builds the worker image with Jib and pushes it, the step {@code surge
 * deploy} runs after the stack. For pipelines that push images themselves ({@code surge deploy
 * --no-image-push}), and for registries other than the stack's.
 */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = {
      "Build the worker image with Jib (no Docker daemon) and push it to --to: the same command"
          + " 'surge deploy' runs after deploying the stack.",
      "Registry login: SURGE_REGISTRY_USERNAME and SURGE_REGISTRY_PASSWORD when set; for an ECR"
          + " registry, a token from the AWS account (ecr:GetAuthorizationToken); otherwise Jib's"
          + " credential helpers and ~/.docker/config.json."
    })
public final class ImageCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "REF",
      description =
          "Where to push: registry/repository:tag (e.g. the stack's RepositoryUri and the tag"
              + " 'surge deploy' printed).")
  String to;

  @Option(
      names = "--base-image",
      paramLabel = "REF",
      description =
          "Base image (default "
              + WorkerImage.DEFAULT_BASE
              + "), e.g. a mirror in a registry of your own.")
  String baseImage;

  @Option(
      names = "--insecure-registry",
      description = "Allow plain HTTP and unverified TLS, for a registry on this machine only.")
  boolean insecureRegistry;

  /** Called by the command factory. */
  public ImageCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    ImagePush.run(
        to, Optional.ofNullable(baseImage), insecureRegistry, env, spec.commandLine().getOut());
    return 0;
  }
}
