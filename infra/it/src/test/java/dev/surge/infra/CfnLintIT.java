package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.standins.aws.CfnLint;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The synthesized templates pass cfn-lint, AWS's CloudFormation linter: no error, and no warning
 * but the one the CDK itself causes. ({@code CdkSynthIT} lints what the CDK CLI synthesizes.)
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

  @TempDir Path dir;

  /** Lints {@code template} and returns the findings beyond the known CDK one. */
  static List<CfnLint.Finding> unexpected(Path template) {
    return CfnLint.lint(template, "us-east-1", "eu-west-1").stream()
        .filter(CDK_ROLE_DEPENDENCY.negate())
        .toList();
  }

  private Path write(String name, Template template) throws Exception {
    Path file = dir.resolve(name + ".template.json");
    new ObjectMapper().writeValue(file.toFile(), template.toJSON());
    return file;
  }

  @Test
  void theDefaultStackLintsClean() throws Exception {
    assertThat(unexpected(write("default", Synthesized.defaultTemplate()))).isEmpty();
  }

  @Test
  void theStackInAnExistingVpcLintsClean() throws Exception {
    assertThat(unexpected(write("existing-vpc", Synthesized.existingVpcTemplate()))).isEmpty();
  }

  @Test
  void aPrefixedStackWithTheSeedsFixedFleetAndReservedConcurrencyLintsClean() throws Exception {
    SurgeStackProps props =
        SurgeStackProps.builder(Synthesized.lambdaJar())
            .prefix("dev-")
            .scaling(new ScalingProps("fixed", 300, 10, 4, "surge", "alarm"))
            .reservedConcurrency(1)
            .build();
    Template t = Template.fromStack(new SurgeStack(new App(), props));
    assertThat(unexpected(write("prefixed", t))).isEmpty();
    assertThat(Optional.of(props.stackName())).contains("dev-Surge");
  }
}
