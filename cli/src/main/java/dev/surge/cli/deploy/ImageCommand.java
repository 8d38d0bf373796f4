package dev.surge.cli.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.standins.SourceTree;
import java.io.PrintWriter;
import java.util.List;
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
    PrintWriter out = spec.commandLine().getOut();
    if (baseImage != null) {
      WorkerImage.requireReference(baseImage, "--base-image");
    }
    WorkerImage image =
        new WorkerImage(to, Optional.ofNullable(baseImage), insecureRegistry, Optional.empty());
    image = image.withCredentials(credentials(image));
    SourceTree tree = SourceTree.locate();
    out.printf("Building the worker image and pushing it to %s (Jib)...%n", to);
    Commands.Result r = image.push(tree, out);
    if (!r.ok()) {
      throw new ConfigException(DeployErrors.explain("the image push", r.tail()));
    }
    out.printf("Pushed %s%n", to);
    return 0;
  }

  private Optional<WorkerImage.Credentials> credentials(WorkerImage image) {
    Env e = new Env(env);
    Optional<String> user = e.get("SURGE_REGISTRY_USERNAME");
    Optional<String> password = e.get("SURGE_REGISTRY_PASSWORD");
    if (user.isPresent() && password.isPresent()) {
      return Optional.of(new WorkerImage.Credentials(user.get(), password.get()));
    }
    if (image.toEcr()) {
      AwsAccount account = new AwsAccount(new AwsClients(AwsTarget.aws(e), 2, List.of()));
      account.identity();
      return Optional.of(account.registryCredentials());
    }
    return Optional.empty();
  }
}
