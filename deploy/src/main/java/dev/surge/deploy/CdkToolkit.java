package dev.surge.deploy;

import dev.surge.core.ConfigException;
import dev.surge.standins.NodeRuntime;
import dev.surge.standins.PinnedNodePackage;
import dev.surge.standins.SourceTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The AWS CDK CLI pinned by {@code infra/package-lock.json}, run on the project's CDK app. */
final class CdkToolkit {
  private final SourceTree tree;
  private final Path cdk;
  private final Path node;
  private final NodeVersion version;
  private boolean warned;

  private CdkToolkit(SourceTree tree, Path node, NodeVersion version, Path cdk) {
    this.tree = tree;
    this.node = node;
    this.version = version;
    this.cdk = cdk;
  }

  /** Installs the pinned CLI (once per machine) into the cache with {@code npm ci}. */
  static CdkToolkit install(SourceTree tree) {
    Path node =
        NodeRuntime.find("node")
            .orElseThrow(
                () ->
                    new ConfigException(
                        "Node.js is needed to run the AWS CDK CLI, but 'node' is not on the"
                            + " PATH; install Node.js 22 or 24 (with npm)"));
    NodeVersion version = NodeVersion.of(node).requireRunnable();
    Map<String, byte[]> files = new LinkedHashMap<>();
    try {
      for (String f : List.of("package.json", "package-lock.json")) {
        files.put(f, Files.readAllBytes(tree.infra().resolve(f)));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read infra/package.json: " + e.getMessage(), e);
    }
    Path dir =
        PinnedNodePackage.install(
            "cdk", "the AWS CDK CLI", files, PinnedNodePackage.defaultCacheRoot());
    return new CdkToolkit(tree, node, version, dir.resolve("node_modules/aws-cdk/bin/cdk"));
  }

  /** Runs {@code cdk <args>} in {@code infra/} with the given context values. */
  Commands.Result run(
      List<String> args, Map<String, String> context, Map<String, String> env, PrintWriter out) {
    List<String> cmd = new ArrayList<>();
    cmd.add(node.toString());
    cmd.add(cdk.toString());
    cmd.addAll(args);
    context.forEach(
        (k, v) -> {
          cmd.add("-c");
          cmd.add(k + "=" + v);
        });
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("CDK_DISABLE_VERSION_CHECK", "true");
    e.put(
        "NODE_OPTIONS",
        withOneV8Worker(e.getOrDefault("NODE_OPTIONS", System.getenv("NODE_OPTIONS"))));
    e.putAll(version.silencing());
    if (!warned) {
      version.warning().ifPresent(out::println);
      out.flush();
      warned = true;
    }
    // The app is `java -jar ...`: use the JVM that runs surge.
    e.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + java.io.File.pathSeparator
            + System.getenv().getOrDefault("PATH", ""));
    return Commands.run(cmd, tree.infra(), e, out);
  }

  /**
   * {@code NODE_OPTIONS} with V8's background work (compiling, collecting) on one worker thread,
   * for the CLI and the app's jsii runtime, which inherits it: a synth of the app costs about a
   * sixth less CPU that way on two cores at the same wall time (measured with {@code surge deploy
   * --dry-run}: 24 CPU seconds before, 20 after). A user's own options are kept.
   */
  static String withOneV8Worker(String userOptions) {
    String own = "--v8-pool-size=1";
    if (userOptions == null || userOptions.isBlank()) {
      return own;
    }
    return userOptions.contains("--v8-pool-size") ? userOptions : userOptions + " " + own;
  }
}
