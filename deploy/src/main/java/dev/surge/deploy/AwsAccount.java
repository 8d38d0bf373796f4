package dev.surge.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.core.ConfigException;
import dev.surge.watch.AwsCaller;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The caller's account: who they are, whether CDK is bootstrapped, ECR credentials. */
public final class AwsAccount {
  private final AwsClients clients;

  /** The account the clients reach. */
  public AwsAccount(AwsClients clients) {
    this.clients = clients;
  }

  /**
   * The caller's identity ({@link AwsCaller}).
   *
   * @throws ConfigException with the fix when no credentials or region are found
   */
  public GetCallerIdentityResponse identity() {
    return new AwsCaller(clients).identity();
  }

  /** Fails with the bootstrap command when the account/region has no CDKToolkit stack. */
  void requireBootstrap(String account) {
    String region = clients.target().region();
    try (CloudFormationClient cfn =
        clients.build(CloudFormationClient.builder(), "CLOUDFORMATION")) {
      cfn.describeStacks(b -> b.stackName("CDKToolkit"));
    } catch (CloudFormationException e) {
      if (DeployErrors.stackMissing(e)) {
        throw new ConfigException(
            "account "
                + account
                + " in "
                + region
                + " is not bootstrapped for the AWS CDK. Run once, from the repository root"
                + " (needs administrator rights):\n"
                + "  "
                + bootstrapCommand(account, region),
            e);
      }
      throw DeployErrors.denied("read CloudFormation stacks", e);
    }
  }

  /**
   * The command that bootstraps {@code account} in {@code region} with the pinned CDK CLI, from the
   * repository root. {@code --app ''} keeps the CLI from running the CDK app {@code infra/cdk.json}
   * names, which only a build makes: bootstrapping an explicit environment needs no app.
   */
  static String bootstrapCommand(String account, String region) {
    return "(cd infra && npm ci && npx cdk bootstrap --app '' aws://"
        + account
        + "/"
        + region
        + ")";
  }

  /** A login to this account's ECR registry for Jib ({@code ecr:GetAuthorizationToken}). */
  WorkerImage.Credentials registryCredentials() {
    try (EcrClient ecr = clients.build(EcrClient.builder(), "ECR")) {
      AuthorizationData data = ecr.getAuthorizationToken().authorizationData().get(0);
      String decoded =
          new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
      String[] parts = decoded.split(":", 2);
      if (parts.length != 2) {
        throw new ConfigException(
            "ECR answered GetAuthorizationToken with a token that is not user:password");
      }
      return new WorkerImage.Credentials(parts[0], parts[1]);
    }
  }
}
