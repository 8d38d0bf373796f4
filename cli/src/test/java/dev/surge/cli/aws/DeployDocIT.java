package dev.surge.cli.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.cli.DocPages;
import dev.surge.cli.SurgeJar;
import dev.surge.standins.aws.MotoServer;
import dev.surge.standins.aws.PinnedPython;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The lines of {@code docs/deploy.md}, section "Deploy against an emulator", run as written, in
 * order, on what a fresh clone has: a copy of the repository's files (tracked and not ignored) in
 * which nothing is built but the {@code surge} jar (with its libraries), so {@code
 * infra/target/surge-infra.jar} and the trigger's jar do not exist until a line builds them.
 *
 * <p>Two substitutions, both of the machine and not of the commands: moto listens on a free port
 * instead of 5000 (the port is replaced in every line), and {@code python3} is the interpreter that
 * has the pinned moto. Before the lines run, {@code ./surge deploy} on the not yet bootstrapped
 * emulator must fail with exit 2, printing the page's bootstrap line.
 */
@Order(1) // among the longest: started first
class DeployDocIT {
  private static final Path ROOT = DocPages.ROOT;
  private static final String SECTION = "## Deploy against an emulator";

  private final Path work = Path.of("target/deploy-doc-it").toAbsolutePath();

  @Test
  void theEmulatorSectionRunsAsWrittenFromAFreshClone() throws Exception {
    List<String> block = DocPages.codeBlock("docs/deploy.md", SECTION);
    String server = block.get(0);
    assertThat(server).startsWith("python3 ").contains("--port 5000");
    List<String> lines = block.subList(1, block.size()).stream().filter(l -> !l.isBlank()).toList();
    String bootstrap =
        lines.stream().filter(l -> l.contains("cdk bootstrap")).findFirst().orElseThrow();
    assertThat(bootstrap).contains("aws://" + MotoServer.ACCOUNT + "/" + MotoServer.REGION);

    deleteTree(work);
    Path tree = freshClone(work.resolve("tree"));
    assertThat(tree.resolve("infra/target")).doesNotExist();
    assertThat(tree.resolve("trigger/target")).doesNotExist();

    Path log = work.resolve("moto.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                "exec "
                    + server
                        .replaceFirst("^python3 ", PinnedPython.interpreter() + " ")
                        .replace("--port 5000", "--port 0"))
            .directory(tree.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process moto = pb.start();
    try {
      int port = port(moto);
      Map<String, String> env = userEnvironment();

      // Not bootstrapped yet: deploy stops before building anything and prints the page's line.
      String exports =
          lines.stream().filter(l -> l.startsWith("export ")).collect(Collectors.joining("\n"));
      Result refused =
          bash(
              tree,
              env,
              at(exports + "\n./surge deploy --no-image-push", port),
              TimeUnit.MINUTES.toSeconds(3));
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
      assertThat(refused.output())
          .contains("is not bootstrapped for the AWS CDK")
          .contains(bootstrap.replaceFirst("\\s+#.*$", ""));
      assertThat(tree.resolve("infra/target")).doesNotExist();

      Result r =
          bash(tree, env, at(String.join("\n", lines), port), TimeUnit.MINUTES.toSeconds(20));
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output())
          .contains("Deployed stack Surge to us-east-1:")
          .contains("\"StackName\": \"Surge\"")
          .contains("Stack Surge is gone.")
          // On a Node.js past the CDK runtime's support: one line of ours, not its banner.
          .doesNotContain("end-of-life and not supported anymore");
      assertThat(moto.isAlive()).isTrue();
    } finally {
      moto.destroy();
      assertThat(moto.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(moto.descendants().toList()).as("nothing of moto left").isEmpty();
    }
    deleteTree(work);
  }

  /** The port moto printed ({@code SURGE_MOTO_PORT=...}); its other output goes to the log. */
  private static int port(Process moto) throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(moto.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith("SURGE_MOTO_PORT=")) {
                    port.complete(Integer.parseInt(line.substring(16).strip()));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("moto exited"));
            },
            "moto-stdout");
    reader.setDaemon(true);
    reader.start();
    return port.get(90, TimeUnit.SECONDS);
  }

  private static String at(String script, int port) {
    return script.replace("127.0.0.1:5000", "127.0.0.1:" + port);
  }

  /**
   * The repository's files as a clone has them (tracked, or new and not ignored), and the packaged
   * {@code surge} jar with its {@code lib/}, newer than every source so that {@code ./surge} runs
   * it as it is.
   */
  private static Path freshClone(Path to) throws Exception {
    Process git =
        new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .directory(ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String names = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(git.waitFor()).isZero();
    for (String name : names.split("\0")) {
      Path from = ROOT.resolve(name);
      if (name.isEmpty() || !Files.isRegularFile(from)) {
        continue; // deleted in the work tree
      }
      Path target = to.resolve(name);
      Files.createDirectories(target.getParent());
      Files.copy(from, target);
    }
    Path jar = to.resolve("cli/target/surge.jar");
    Files.createDirectories(jar.getParent().resolve("lib"));
    try (Stream<Path> libs = Files.list(Path.of("target/lib"))) {
      for (Path lib : libs.toList()) {
        Files.copy(lib, jar.getParent().resolve("lib").resolve(lib.getFileName()));
      }
    }
    Files.copy(Path.of("target/surge.jar"), jar);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    return to;
  }

  /** This machine's environment without any AWS, CDK or Surge setting. */
  private static Map<String, String> userEnvironment() {
    Map<String, String> out =
        System.getenv().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("AWS_") && !e.getKey().startsWith("CDK_"))
            .filter(e -> !e.getKey().startsWith("SURGE_") || e.getKey().equals("SURGE_CACHE_DIR"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    out.put("AWS_CONFIG_FILE", "/nonexistent/surge/aws-config");
    out.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/surge/aws-credentials");
    out.put("AWS_EC2_METADATA_DISABLED", "true");
    // The JVM flags the other tests give surge (SurgeJar), without its archive (this tree's jar
    // is another file): the lines stay as written.
    out.put("SURGE_JAVA_OPTS", SurgeJar.FLAGS);
    out.put("CDK_DISABLE_VERSION_CHECK", "true");
    out.put("CDK_DISABLE_CLI_TELEMETRY", "true");
    // The CDK's check at synth off, as in AwsTargetIT (CdkSynthIT runs it).
    out.put("CDK_VALIDATION", "false");
    // This JDK, and the aws CLI a version manager's shim would run, without the shim (AwsCli).
    out.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + java.io.File.pathSeparator
            + dev.surge.standins.aws.AwsCli.directory()
            + java.io.File.pathSeparator
            + System.getenv().getOrDefault("PATH", ""));
    return out;
  }

  record Result(int exitCode, String output) {}

  private Result bash(Path dir, Map<String, String> env, String script, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "bash", ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", script).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    DocPages.Run r = DocPages.run(pb, log, timeoutSeconds, script + "\n");
    return new Result(r.exitCode(), r.output());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
