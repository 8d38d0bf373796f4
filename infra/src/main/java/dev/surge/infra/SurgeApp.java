package dev.surge.infra;

import java.io.PrintStream;
import java.nio.file.Path;
import software.amazon.awscdk.App;

/**
 * The CDK app: one {@link SurgeStack}, configured by CDK context (see {@code docs/deploy.md}). The
 * CDK CLI runs it through {@code cdk.json}.
 */
public final class SurgeApp {
  private SurgeApp() {}

  /** Synthesizes the stack into the CLI's output directory; exits 2 on a bad context value. */
  public static void main(String[] args) {
    System.exit(run(new App(), Path.of(""), System.err));
  }

  /** Builds and synthesizes the stack in {@code app}; returns the process exit code. */
  static int run(App app, Path workingDirectory, PrintStream err) {
    SurgeStackProps props;
    try {
      props = new ContextSettings(app.getNode()::tryGetContext, workingDirectory).read();
    } catch (IllegalArgumentException e) {
      err.println("surge infra: " + e.getMessage());
      return 2;
    }
    new SurgeStack(app, props);
    app.synth();
    return 0;
  }
}
