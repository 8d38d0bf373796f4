package dev.surge.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.core.ConfigException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Deletes a deployed stack through CloudFormation, as {@code cdk destroy} does once it has
 * synthesized the app to learn the stack's name and roles: with the CDK bootstrap's deploy role
 * (which the deployer may assume, and which may delete the stack and pass its execution role), or
 * with the caller's own credentials where that role cannot be assumed; the stack's own execution
 * role deletes its resources. Needs neither the CDK app nor Node.js, so a stack can be removed from
 * any checkout, built or not.
 */
final class StackRemoval {
  /** The CDK's default bootstrap qualifier, which the app's stack synthesizer uses. */
  static final String QUALIFIER = "hnb659fds";

  private static final Duration POLL = Duration.ofSeconds(2);

  private final CloudFormationClient cfn;
  private final PrintWriter out;

  StackRemoval(CloudFormationClient cfn, PrintWriter out) {
    this.cfn = cfn;
    this.out = out;
  }

  /** The ARN of the bootstrap deploy role of {@code caller}'s account in {@code region}. */
  static String deployRole(GetCallerIdentityResponse caller, String region) {
    String partition = caller.arn().split(":", 3)[1];
    return "arn:"
        + partition
        + ":iam::"
        + caller.account()
        + ":role/cdk-"
        + QUALIFIER
        + "-deploy-role-"
        + caller.account()
        + "-"
        + region;
  }

  /**
   * A CloudFormation client signing as the bootstrap deploy role, or as the caller (saying so) when
   * the role cannot be assumed.
   */
  static CloudFormationClient client(
      AwsClients clients, GetCallerIdentityResponse caller, PrintWriter out) {
    String role = deployRole(caller, clients.target().region());
    Credentials c;
    try (StsClient sts = clients.build(StsClient.builder(), "STS")) {
      c = sts.assumeRole(b -> b.roleArn(role).roleSessionName("surge-destroy")).credentials();
    } catch (StsException e) {
      out.printf(
          "(cannot assume the CDK deploy role %s: %s; deleting with your own credentials)%n",
          role, e.getMessage());
      return clients.build(CloudFormationClient.builder(), "CLOUDFORMATION");
    }
    return clients.build(
        CloudFormationClient.builder()
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))),
        "CLOUDFORMATION");
  }

  /**
   * Deletes stack {@code name} and waits until CloudFormation has, printing each resource's
   * progress.
   *
   * @throws ConfigException when there is no such stack, when it may not be read or deleted, or
   *     when CloudFormation could not delete it (with the resources that failed and why)
   */
  void delete(String name, String hint) throws InterruptedException {
    Stack stack;
    try {
      stack = cfn.describeStacks(b -> b.stackName(name)).stacks().get(0);
    } catch (CloudFormationException e) {
      if (DeployErrors.stackMissing(e)) {
        throw new ConfigException("there is no stack " + name + " to destroy" + hint, e);
      }
      throw DeployErrors.denied("read stack " + name, e);
    }
    String id = stack.stackId();
    Set<String> seen = new HashSet<>();
    events(id, Instant.EPOCH).forEach(ev -> seen.add(ev.eventId()));
    Instant asked = Instant.now();
    try {
      cfn.deleteStack(
          b -> {
            b.stackName(id);
            // The role the stack was deployed with deletes what it created (as cdk destroy passes
            // the bootstrap's execution role).
            if (stack.roleARN() != null) {
              b.roleARN(stack.roleARN());
            }
          });
    } catch (CloudFormationException e) {
      throw DeployErrors.denied("delete stack " + name, e);
    }
    while (true) {
      Stack now;
      try {
        now = cfn.describeStacks(b -> b.stackName(id)).stacks().get(0);
      } catch (CloudFormationException e) {
        // AWS answers for a deleted stack's id with DELETE_COMPLETE; an emulator may forget it.
        if (DeployErrors.stackMissing(e)) {
          return;
        }
        throw e;
      }
      List<StackEvent> fresh = new ArrayList<>();
      for (StackEvent ev : events(id, asked.minusSeconds(60))) {
        if (seen.add(ev.eventId())) {
          fresh.add(0, ev); // newest first from CloudFormation: print oldest first
        }
      }
      for (StackEvent ev : fresh) {
        out.printf(
            "  %-20s %-40s %s%s%n",
            ev.resourceStatusAsString(),
            ev.resourceType(),
            ev.logicalResourceId(),
            ev.resourceStatusReason() == null ? "" : ": " + ev.resourceStatusReason());
      }
      out.flush();
      if (now.stackStatus() == StackStatus.DELETE_COMPLETE) {
        return;
      }
      if (now.stackStatus() == StackStatus.DELETE_FAILED) {
        throw new ConfigException(
            "CloudFormation could not delete stack "
                + name
                + ": "
                + (now.stackStatusReason() == null ? "(no reason given)" : now.stackStatusReason())
                + "; remove or fix what the lines above name, then run './surge destroy' again");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The stack's events (newest first), from {@code since} on; the first page is enough. */
  private List<StackEvent> events(String id, Instant since) {
    return cfn.describeStackEvents(b -> b.stackName(id)).stackEvents().stream()
        .filter(e -> e.timestamp() == null || !e.timestamp().isBefore(since))
        .toList();
  }
}
