package dev.surge.cli.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The caller's account: who they are, whether CDK is bootstrapped, ECR credentials. */
public final class AwsAccount {
  private final AwsClients clients;

  /** The account the clients reach. */
  public AwsAccount(AwsClients clients) {
    this.clients = clients;
  }

  /**
   * The caller's identity.
   *
   * @throws ConfigException with the fix when no credentials or region are found
   */
  public GetCallerIdentityResponse identity() {
    if (clients.target().region().isEmpty()) {
      throw new ConfigException(
          "no AWS region is set; set AWS_REGION (e.g. export AWS_REGION=us-east-1) or a region in"
              + " your AWS profile");
    }
    try (StsClient sts = clients.build(StsClient.builder(), "STS")) {
      return sts.getCallerIdentity();
    } catch (SdkClientException e) {
      if (network(e)) {
        // Credentials were found: the call itself did not get through.
        throw new ConfigException(
            "cannot reach AWS STS ("
                + e.getMessage()
                + "); check the network connection (or the proxy or VPN), or AWS_ENDPOINT_URL_STS"
                + " if you set one",
            e);
      }
      String why = e.getMessage() == null ? "" : e.getMessage();
      // The SDK lists every provider it tried; the first sentence is what matters here.
      int cut = why.indexOf(" AwsCredentialsProviderChain");
      throw new ConfigException(
          "no usable AWS credentials ("
              + (cut > 0 ? why.substring(0, cut) : why)
              + "); set AWS_PROFILE to a configured profile (after 'aws sso login' if it uses IAM"
              + " Identity Center), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
          e);
    } catch (SdkException e) {
      throw new ConfigException(
          "AWS rejected the credentials (" + e.getMessage() + "); refresh or replace them", e);
    }
  }

  /** Whether {@code e} is a request that did not get through, rather than missing credentials. */
  static boolean network(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return e.getMessage() != null && e.getMessage().startsWith("Unable to execute HTTP request");
  }

  /** Fails with the bootstrap command when the account/region has no CDKToolkit stack. */
  void requireBootstrap(String account) {
    String region = clients.target().region();
    try (CloudFormationClient cfn =
        clients.build(CloudFormationClient.builder(), "CLOUDFORMATION")) {
      cfn.describeStacks(b -> b.stackName("CDKToolkit"));
    } catch (CloudFormationException e) {
      if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
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
      if (e.statusCode() == 403) {
        throw new ConfigException(
            "not allowed to read CloudFormation stacks ("
                + e.awsErrorDetails().errorMessage()
                + "); the deployer needs the permissions listed in docs/deploy.md"
                + " ('IAM permissions')",
            e);
      }
      throw e;
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
