package dev.surge.cli.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.Env;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** {@code surge destroy}: removes the deployed stack and everything it created. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Delete the deployed stack: table, queues, topic, alarm, function, schedule, cluster, task"
          + " definition, image repository (with its images), log groups, roles and the VPC.",
      "Through CloudFormation, with the CDK bootstrap's deploy role: needs neither a build nor"
          + " Node.js. The CDK bootstrap stack (CDKToolkit) is shared and stays."
    })
public final class DestroyCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--prefix", description = "The prefix the stack was deployed with.")
  String prefix;

  /** Called by the command factory. */
  public DestroyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    GetCallerIdentityResponse me = new AwsAccount(clients).identity();
    String stack = (prefix == null ? "" : prefix) + "Surge";
    out.printf(
        "Destroying stack %s in account %s, %s...%n",
        stack, me.account(), clients.target().region());
    out.flush();
    String hint =
        " in account "
            + me.account()
            + ", "
            + clients.target().region()
            + (prefix == null
                ? " (deployed with --prefix? pass the same --prefix to destroy)"
                : " (is the prefix the one it was deployed with?)");
    try (CloudFormationClient cfn = StackRemoval.client(clients, me, out)) {
      new StackRemoval(cfn, out).delete(stack, hint);
    }
    out.printf(
        "Stack %s is gone. The CDK bootstrap stack (CDKToolkit) stays for other apps.%n", stack);
    return 0;
  }
}
