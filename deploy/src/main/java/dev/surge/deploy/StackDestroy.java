package dev.surge.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.Env;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code surge destroy}: deletes the deployed stack and everything it created, through
 * CloudFormation with the CDK bootstrap's deploy role ({@link StackRemoval}); needs neither a build
 * nor Node.js. The CDK bootstrap stack stays for other apps.
 */
public final class StackDestroy {
  private StackDestroy() {}

  /**
   * Deletes the stack of {@code prefix} (none: the default pipeline's) in the account and region
   * {@code env} names, telling {@code out}.
   *
   * @throws dev.surge.core.ConfigException when the stack is not there or cannot be deleted
   */
  public static void run(Optional<String> prefix, Map<String, String> env, PrintWriter out)
      throws InterruptedException {
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    GetCallerIdentityResponse me = new AwsAccount(clients).identity();
    String stack = prefix.orElse("") + "Surge";
    out.printf(
        "Destroying stack %s in account %s, %s...%n",
        stack, me.account(), clients.target().region());
    out.flush();
    String hint =
        " in account "
            + me.account()
            + ", "
            + clients.target().region()
            + (prefix.isEmpty()
                ? " (deployed with --prefix? pass the same --prefix to destroy)"
                : " (is the prefix the one it was deployed with?)");
    try (CloudFormationClient cfn = StackRemoval.client(clients, me, out)) {
      new StackRemoval(cfn, out).delete(stack, hint);
    }
    out.printf(
        "Stack %s is gone. The CDK bootstrap stack (CDKToolkit) stays for other apps.%n", stack);
  }
}
