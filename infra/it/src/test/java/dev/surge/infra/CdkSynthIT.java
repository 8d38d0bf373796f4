package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.PinnedNodePackage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdk synth} with the pinned CLI on the packaged app through {@code infra/cdk.json}, as a
 * deployer runs it: offline apart from npm, without AWS credentials; then cfn-lint on the template
 * it wrote. Runs after {@code package}.
 */
@Order(1) // among the longest: started first
class CdkSynthIT {
  private static final Map<String, String> ENV = System.getenv();

  @TempDir Path tmp;

  @Test
  void cdkSynthWritesTheSurgeTemplate() throws Exception {
    Path infraDir = Path.of(System.getProperty("surge.infra.dir", "..")).toAbsolutePath();
    Path appJar = Path.of(System.getProperty("surge.infra.jar", "../target/surge-infra.jar"));
    assertThat(infraDir.resolve("cdk.json")).as("infra/cdk.json").exists();
    assertThat(appJar).as("the packaged app (run in the verify phase)").exists();

    Path node = required("node");
    required("npm");
    Path log = tmp.resolve("commands.log");
    // The same install (and cache folder) as `surge deploy` uses.
    Path cli =
        PinnedNodePackage.install(
                "cdk",
                "the AWS CDK CLI",
                Map.of(
                    "package.json", Files.readAllBytes(infraDir.resolve("package.json")),
                    "package-lock.json", Files.readAllBytes(infraDir.resolve("package-lock.json"))),
                PinnedNodePackage.defaultCacheRoot())
            .resolve("node_modules/aws-cdk/bin/cdk");

    Path lambdaJar = Synthesized.writeJar(tmp.resolve("surge-trigger-lambda.jar"));
    Path out = tmp.resolve("cdk.out");
    int code =
        Processes.run(
            List.of(
                node.toString(),
                cli.toString(),
                "synth",
                "--ci",
                "--no-notices",
                "--no-version-reporting",
                "--no-lookups",
                "--quiet",
                "--output",
                out.toString(),
                "--context",
                "lambdaJar=" + lambdaJar),
            infraDir,
            offlineEnvironment(),
            log,
            5,
            TimeUnit.MINUTES);

    assertThat(code).as("cdk synth exit code; output:\n%s", Processes.tail(log)).isZero();
    Path template = out.resolve("Surge.template.json");
    assertThat(template).exists();
    assertThat(Files.readString(template, StandardCharsets.UTF_8))
        .contains("\"AWS::Lambda::Function\"", "\"FunctionName\": \"fasttrack-saa\"")
        .contains("\"AWS::DynamoDB::Table\"", "\"TableName\": \"fasttracksaa\"");
    // What the CLI synthesized passes AWS's linter, as the in-process templates do (CfnLintIT).
    assertThat(CfnLintIT.unexpected(template)).isEmpty();
    // And the CDK's own check at synth, on here as for a deployer (the other tests that synth turn
    // it off: cfn-lint checks their templates): it ran, and found nothing that is not
    // acknowledged in the app with its reason.
    JsonNode report = new ObjectMapper().readTree(out.resolve("validation-report.json").toFile());
    assertThat(report.path("pluginReports").findValuesAsText("pluginName"))
        .contains("CloudFormation Validate");
    assertThat(report.path("pluginReports").findValues("violations"))
        .as("the CDK's validation findings:\n%s", report.toPrettyString())
        .allMatch(JsonNode::isEmpty);
    assertThat(report.findValuesAsText("acknowledgedId"))
        .containsExactly("CloudFormation-Validate::W3694");
  }

  private static Path required(String program) {
    return Processes.onPath(program, ENV)
        .orElseGet(
            () ->
                fail(
                    program
                        + " is not on PATH. The AWS CDK CLI is a Node.js program: install Node.js"
                        + " 18 or newer with npm (for example `apt-get install nodejs npm`) and"
                        + " run the build again. This test does not skip without it."));
  }

  /**
   * This process's environment without AWS credentials or profiles or CDK settings (so the CDK's
   * validation at synth is on, as by default, whatever the test JVM was given), with the instance
   * metadata service off (no request leaves the machine for credentials), the CLI's version check
   * and telemetry off, and this JVM's {@code java} first on PATH for the app command.
   */
  private static Map<String, String> offlineEnvironment() {
    Map<String, String> env = new HashMap<>();
    ENV.forEach(
        (k, v) -> {
          if (!k.startsWith("AWS_") && !k.startsWith("CDK_")) {
            env.put(k, v);
          }
        });
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", "/nonexistent/surge/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/surge/aws-credentials");
    env.put("CDK_DISABLE_VERSION_CHECK", "true");
    env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    env.put("PATH", javaBin + File.pathSeparator + ENV.getOrDefault("PATH", ""));
    return env;
  }
}
