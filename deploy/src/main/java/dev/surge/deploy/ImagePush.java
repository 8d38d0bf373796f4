package dev.surge.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.standins.SourceTree;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code surge image}: builds the worker image with Jib and pushes it, the step {@link StackDeploy}
 * runs after the stack. The registry login: {@code SURGE_REGISTRY_USERNAME} and {@code
 * SURGE_REGISTRY_PASSWORD} when set; for an ECR registry, a token from the AWS account; otherwise
 * Jib's own credential helpers.
 */
public final class ImagePush {
  private ImagePush() {}

  /**
   * Builds the worker image and pushes it to {@code to}.
   *
   * @param to where: registry/repository:tag
   * @param baseImage the base image (default {@link WorkerImage#DEFAULT_BASE})
   * @param insecureRegistry allow plain HTTP and unverified TLS (a registry on this machine only)
   * @throws ConfigException when a reference is not one, or the push fails, saying why
   */
  public static void run(
      String to,
      Optional<String> baseImage,
      boolean insecureRegistry,
      Map<String, String> env,
      PrintWriter out) {
    baseImage.ifPresent(b -> WorkerImage.requireReference(b, "--base-image"));
    WorkerImage image = new WorkerImage(to, baseImage, insecureRegistry, Optional.empty());
    image = image.withCredentials(credentials(image, env));
    SourceTree tree = SourceTree.locate();
    out.printf("Building the worker image and pushing it to %s (Jib)...%n", to);
    Commands.Result r = image.push(tree, out);
    if (!r.ok()) {
      throw new ConfigException(DeployErrors.explain("the image push", r.tail()));
    }
    out.printf("Pushed %s%n", to);
  }

  private static Optional<WorkerImage.Credentials> credentials(
      WorkerImage image, Map<String, String> env) {
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
