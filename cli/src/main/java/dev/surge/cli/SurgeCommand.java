package dev.surge.cli;

import dev.surge.cli.deploy.DeployCommand;
import dev.surge.cli.deploy.DestroyCommand;
import dev.surge.cli.deploy.ImageCommand;
import dev.surge.core.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code surge} command. */
@Command(
    name = "surge",
    mixinStandardHelpOptions = true,
    versionProvider = SurgeCommand.Version.class,
    description = {
      "The queue-triggered, scale-to-zero SQS/SNS demo: a producer fills a queue, an alarm on the"
          + " backlog notifies a topic, a function launches tasks that drain the queue into a"
          + " table and exit when it is empty.",
      ""
    },
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      StopCommand.class,
      LogsCommand.class,
      ProduceCommand.class,
      WorkCommand.class,
      StatusCommand.class,
      PurgeCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      DeployCommand.class,
      ImageCommand.class,
      DestroyCommand.class,
      picocli.AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    })
public final class SurgeCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** No command given: the usage, on standard error, and exit 2, as for any other usage error. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("surge: no command given; choose one of these:");
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The configured command line: output writers, environment, error handling. */
  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SurgeCommand(), new Factory(env));
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(SurgeCommand::parameterError);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            err.println("surge: " + e.getMessage());
            return 2;
          }
          err.println("surge: " + e);
          return 1;
        });
    return cl;
  }

  /**
   * A flag or value the command does not take: one line on standard error saying what is wrong and
   * where the command's flags are described, and exit 2 (picocli's default adds the whole usage).
   */
  static int parameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine c = e.getCommandLine();
    String what =
        String.join(
                " ", Objects.toString(e.getMessage(), e.toString()).strip().split("\\s*\\R\\s*"))
            .replace(" is not a long", " is not a whole number")
            .replace(" is not an int", " is not a whole number")
            .replace(" is not a double", " is not a number");
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      what += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
    }
    CommandLine described = c;
    while (described.getParent() != null
        && !described.getCommandSpec().optionsMap().containsKey("--help")) {
      described = described.getParent();
    }
    c.getErr()
        .println(
            "surge: " + what + "; see '" + described.getCommandSpec().qualifiedName() + " --help'");
    c.getErr().flush();
    return c.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Gives every command the environment read once in {@link Main}. */
  private record Factory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == DemoCommand.class
          || cls == UpCommand.class
          || cls == StopCommand.class
          || cls == LogsCommand.class
          || cls == ProduceCommand.class
          || cls == WorkCommand.class
          || cls == StatusCommand.class
          || cls == PurgeCommand.class
          || cls == BenchCommand.class
          || cls == ChaosCommand.class
          || cls == DeployCommand.class
          || cls == ImageCommand.class
          || cls == DestroyCommand.class) {
        return cls.getDeclaredConstructor(Map.class).newInstance(env);
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SurgeCommand.class.getPackage().getImplementationVersion();
      return new String[] {"surge " + (v == null ? "(development build)" : v)};
    }
  }
}
