package dev.surge.worker;

import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.worker.WorkerSettings;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The worker's process entry point (the container's, and the local launcher's): settings from
 * {@code SURGE_*} variables, AWS settings from the standard chain and endpoint variables. Exit 0
 * when drained or stopped by SIGTERM, 2 on bad configuration, 1 on a fatal error or a stop not
 * finished within the grace period.
 */
public final class WorkerMain {
  /**
   * Environment variable: {@code true} to stop gracefully when standard input closes (set by the
   * local launcher, so workers never outlive it).
   */
  public static final String STOP_ON_STDIN_EOF = "SURGE_STOP_ON_STDIN_EOF";

  /** Environment variable: {@code json} for JSON log lines (containers), else readable lines. */
  public static final String LOG_FORMAT = "SURGE_LOG_FORMAT";

  private WorkerMain() {}

  /** Entry point; only exits with what {@link #run(Map)} returns. */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    if ("json".equalsIgnoreCase(env.getOrDefault(LOG_FORMAT, ""))) {
      // Must be set before the first logger is created.
      System.setProperty(LogConfigurator.FORMAT, "json");
    }
    System.exit(run(env));
  }

  /** Runs a worker configured by {@code env}; returns the exit code. */
  public static int run(Map<String, String> env) {
    Env e = new Env(env);
    WorkerSettings settings;
    TaskIdentity identity;
    try {
      settings = WorkerSettings.fromEnvironment(e);
      identity = TaskIdentities.resolve(e);
    } catch (ConfigException ex) {
      System.err.println("surge worker: " + ex.getMessage());
      return 2;
    }
    boolean stdinWatch = Boolean.parseBoolean(e.string(STOP_ON_STDIN_EOF, "false"));
    return WorkerRunner.run(
        settings, AwsTarget.aws(e), identity, new PrintWriter(System.out, true), stdinWatch);
  }
}
