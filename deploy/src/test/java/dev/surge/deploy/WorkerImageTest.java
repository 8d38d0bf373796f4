package dev.surge.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The image step's command line, without running it (AwsTargetIT runs it against a registry). */
class WorkerImageTest {
  private static final String ECR =
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/fasttracksaa:20261201-120000";

  @Test
  void jibRunsThroughDataProfileNotAGoalTheWholeReactorWouldLookUp() {
    WorkerImage image = new WorkerImage(ECR, Optional.empty(), false, Optional.empty());

    assertThat(image.command())
        .startsWith("mvn")
        .contains("-pl", "worker", "-am", "package", "-Pworker-image", "-Djib.to.image=" + ECR)
        .noneMatch(a -> a.startsWith("jib:") || a.contains(":jib-maven-plugin:"))
        .noneMatch(a -> a.startsWith("-Djib.from.image") || a.contains("allowInsecure"));
  }

  @Test
  void aBaseImageAndAnInsecureRegistryAreOptions() {
    WorkerImage image =
        new WorkerImage(
            "127.0.0.1:5000/fasttracksaa:dev",
            Optional.of("127.0.0.1:5000/base:1"),
            true,
            Optional.empty());

    assertThat(image.command())
        .contains("-Djib.from.image=127.0.0.1:5000/base:1", "-Djib.allowInsecureRegistries=true");
    assertThat(image.toEcr()).isFalse();
  }

  @Test
  void theLoginTravelsInTheEnvironmentNeverOnTheCommandLine() {
    WorkerImage image =
        new WorkerImage(
            ECR,
            Optional.empty(),
            false,
            Optional.of(new WorkerImage.Credentials("AWS", "s3cr3t-token")));

    assertThat(image.toEcr()).isTrue();
    assertThat(image.command()).noneMatch(a -> a.contains("s3cr3t-token"));
    assertThat(image.environment())
        .containsEntry("SURGE_REGISTRY_USERNAME", "AWS")
        .containsEntry("SURGE_REGISTRY_PASSWORD", "s3cr3t-token");
    assertThat(image.credentials().orElseThrow().toString()).doesNotContain("s3cr3t-token");
    // Without a login both are empty, so Jib falls back to its own credential helpers.
    assertThat(new WorkerImage(ECR, Optional.empty(), false, Optional.empty()).environment())
        .containsEntry("SURGE_REGISTRY_USERNAME", "")
        .containsEntry("SURGE_REGISTRY_PASSWORD", "");
  }

  @Test
  void aReferenceWithoutATagSaysWhatOneLooksLike() {
    assertThatThrownBy(
            () -> new WorkerImage("fasttracksaa", Optional.empty(), false, Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not registry/repository:tag");
    assertThat(WorkerImage.isTag("20261201-120000")).isTrue();
    assertThat(WorkerImage.isTag("-x")).isFalse();
    assertThat(WorkerImage.isTag("a b")).isFalse();
  }
}
