package dev.surge.deploy;

import dev.surge.core.ConfigException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

/** Turns the CDK CLI's, CloudFormation's and Jib's failures into a message that says what to do. */
final class DeployErrors {
  private DeployErrors() {}

  /** Whether CloudFormation answered that the stack asked for is not there. */
  static boolean stackMissing(CloudFormationException e) {
    return e.getMessage() != null && e.getMessage().contains("does not exist");
  }

  /**
   * A denied CloudFormation call ({@code what}: "read CloudFormation stacks") as what the deployer
   * needs, or {@code e} itself when it is not a denial.
   */
  static RuntimeException denied(String what, CloudFormationException e) {
    if (e.statusCode() != 403) {
      return e;
    }
    return new ConfigException(
        "not allowed to "
            + what
            + " ("
            + e.awsErrorDetails().errorMessage()
            + "); the deployer needs the permissions listed in docs/deploy.md"
            + " ('IAM permissions')",
        e);
  }

  static String explain(String step, String tail) {
    String t = tail == null ? "" : tail;
    if (t.contains("AccessDenied") || t.contains("not authorized to perform")) {
      return step
          + " was denied a permission; the deployer needs the permissions listed in"
          + " docs/deploy.md ('IAM permissions'). Last output:\n"
          + t;
    }
    if (t.contains("has not been bootstrapped") || t.contains("SSM parameter /cdk-bootstrap")) {
      return "the account/region is not bootstrapped for the AWS CDK; run once, from the"
          + " repository root: "
          + AwsAccount.bootstrapCommand("ACCOUNT", "REGION")
          + "\nLast output:\n"
          + t;
    }
    if (t.contains("ExpiredToken") || t.contains("Unable to resolve AWS account")) {
      return "the AWS credentials are missing or expired; refresh them (e.g. aws sso login) and"
          + " retry. Last output:\n"
          + t;
    }
    return step + " failed. Last output:\n" + t;
  }
}
