package dev.surge.cli.deploy;

import dev.surge.deploy.StackDestroy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    StackDestroy.run(Optional.ofNullable(prefix), env, spec.commandLine().getOut());
    return 0;
  }
}
