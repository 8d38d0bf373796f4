package dev.surge.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntSupplier;

/** The {@code surge} command's entry point: only exits with what {@link #run} returns. */
public final class Main {
  private Main() {}

  /** Entry point. */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    quietLogsFor(args, env);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(exitCode(() -> run(args, env, out, err), err));
  }

  /**
   * What {@code command} returns, or 1 once it has thrown what no command handles (picocli turns
   * exceptions into exit codes, not errors such as a class missing from the jar): printed, so that
   * {@link #main} still exits and its shutdown hooks stop the stand-ins, instead of leaving the JVM
   * running on their threads.
   */
  static int exitCode(IntSupplier command, PrintWriter err) {
    try {
      return command.getAsInt();
    } catch (Error e) {
      err.println("surge: internal error: " + e);
      e.printStackTrace(err);
      err.flush();
      return 1;
    }
  }

  /** Runs the command line {@code args}; returns the exit code (usage error = 2). */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return SurgeCommand.commandLine(env, out, err).execute(args);
  }

  // Commands that draw their own output keep library and pipeline logs to warnings, unless the
  // user asked for a level. Must run before the first logger is created.
  private static void quietLogsFor(String[] args, Map<String, String> env) {
    if (env.containsKey("SURGE_LOG_LEVEL") || System.getProperty("SURGE_LOG_LEVEL") != null) {
      return;
    }
    for (String a : args) {
      if (a.equals("--verbose") || a.equals("-v")) {
        System.setProperty("SURGE_LOG_LEVEL", "DEBUG");
        return;
      }
    }
    if (args.length > 0 && !args[0].equals("work")) {
      System.setProperty("SURGE_LOG_LEVEL", "WARN");
    }
  }
}
