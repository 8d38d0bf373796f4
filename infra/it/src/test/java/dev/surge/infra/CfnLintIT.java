package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.aws.CfnLint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The synthesized templates pass cfn-lint, AWS's CloudFormation linter: no error, and no warning
 * but the one the CDK itself causes. ({@code CdkSynthIT} lints what the CDK CLI synthesizes.) The
 * three stacks are linted in one run of cfn-lint, whose start-up costs more than a template's
 * checks; each test reads its stack's findings.
 */
@Order(1) // among the longest: started first
class CfnLintIT {
  /**
   * W3005 on the function's {@code DependsOn} of its role: the CDK adds the role (and its default
   * policy, which is needed) to the function's DependsOn although the function's {@code Role} is
   * already a {@code GetAtt} of it. Harmless: CloudFormation orders them the same either way.
   */
  static final Predicate<CfnLint.Finding> CDK_ROLE_DEPENDENCY =
      f ->
          f.rule().equals("W3005")
              && f.path().matches("Resources/TriggerFunction[0-9A-F]{8}/DependsOn/\\d+")
              && f.message().contains("TriggerRole");

  private static final String[] REGIONS = {"us-east-1", "eu-west-1"};

  /** The seed's fixed fleet of four, with the function's concurrency reserved, under a prefix. */
  private static final SurgeStackProps PREFIXED =
      SurgeStackProps.builder(Synthesized.lambdaJar())
          .prefix("dev-")
          .scaling(new ScalingProps("fixed", 300, 10, 4, "surge", "alarm"))
          .reservedConcurrency(1)
          .build();

  @TempDir static Path dir;

  /** Each stack's findings beyond the known CDK one. */
  private static final Map<String, List<CfnLint.Finding>> FOUND = new LinkedHashMap<>();

  /** Lints {@code template} and returns the findings beyond the known CDK one. */
  static List<CfnLint.Finding> unexpected(Path template) {
    return expectedRemoved(CfnLint.lint(template, REGIONS));
  }

  private static List<CfnLint.Finding> expectedRemoved(List<CfnLint.Finding> findings) {
    return findings.stream().filter(CDK_ROLE_DEPENDENCY.negate()).toList();
  }

  @BeforeAll
  static void lintTheStacksInOneRun() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("default", write("default", Synthesized.defaultTemplate()));
    files.put("existing-vpc", write("existing-vpc", Synthesized.existingVpcTemplate()));
    files.put(
        "prefixed", write("prefixed", Template.fromStack(new SurgeStack(new App(), PREFIXED))));
    Map<Path, List<CfnLint.Finding>> all = CfnLint.lint(List.copyOf(files.values()), REGIONS);
    files.forEach((name, file) -> FOUND.put(name, expectedRemoved(all.get(file))));
  }

  private static Path write(String name, Template template) throws Exception {
    Path file = dir.resolve(name + ".template.json");
    new ObjectMapper().writeValue(file.toFile(), template.toJSON());
    return file;
  }

  @Test
  void theDefaultStackLintsClean() {
    assertThat(FOUND.get("default")).isEmpty();
  }

  @Test
  void theStackInAnExistingVpcLintsClean() {
    assertThat(FOUND.get("existing-vpc")).isEmpty();
  }

  @Test
  void aPrefixedStackWithTheSeedsFixedFleetAndReservedConcurrencyLintsClean() {
    assertThat(FOUND.get("prefixed")).isEmpty();
    assertThat(PREFIXED.stackName()).isEqualTo("dev-Surge");
  }
}
