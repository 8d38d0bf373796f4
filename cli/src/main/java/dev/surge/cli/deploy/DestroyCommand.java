package dev.surge.cli.deploy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.standins.SourceTree;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** {@code surge destroy}: removes the deployed stack and everything it created. */
@Command(
    name = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Delete the deployed stack: table, queues, topic, alarm, function, schedule, cluster, task"
          + " definition, image repository (with its images), log groups, roles and the VPC.",
      "The CDK bootstrap stack (CDKToolkit) is shared and stays."
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
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SourceTree tree = SourceTree.locate();
    AwsClients clients = new AwsClients(AwsTarget.aws(new Env(env)), 4, List.of());
    GetCallerIdentityResponse me = new AwsAccount(clients).identity();
    String stack = (prefix == null ? "" : prefix) + "Surge";
    out.printf(
        "Destroying stack %s in account %s, %s...%n",
        stack, me.account(), clients.target().region());
    Path app = tree.root().resolve("infra/target/surge-infra.jar");
    if (!Files.isRegularFile(app)) {
      throw new ConfigException(
          "the CDK app is not built; run 'mvn -B -pl infra -am package -DskipTests' first");
    }
    Map<String, String> ctx = new LinkedHashMap<>();
    // Destroy synthesizes the app too; nothing is uploaded, so any existing file will do.
    ctx.put(
        "lambdaJar",
        Files.isRegularFile(tree.lambdaJar()) ? tree.lambdaJar().toString() : app.toString());
    if (prefix != null) {
      ctx.put("prefix", prefix);
    }
    Commands.Result r;
    try (AssemblyFolder assembly = new AssemblyFolder()) {
      List<String> args = new ArrayList<>(List.of("destroy", stack, "--force"));
      args.addAll(assembly.option());
      r = CdkToolkit.install(tree).run(args, ctx, env, out);
    }
    if (!r.ok()) {
      throw new ConfigException(DeployErrors.explain("cdk destroy", r.tail()));
    }
    out.printf(
        "Stack %s is gone. The CDK bootstrap stack (CDKToolkit) stays for other apps.%n", stack);
    return 0;
  }
}
