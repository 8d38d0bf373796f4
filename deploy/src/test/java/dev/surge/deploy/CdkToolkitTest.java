package dev.surge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CdkToolkitTest {
  @Test
  void theCdkRunsWithOneV8WorkerAndKeepsTheUsersNodeOptions() {
    assertThat(CdkToolkit.withOneV8Worker(null)).isEqualTo("--v8-pool-size=1");
    assertThat(CdkToolkit.withOneV8Worker(" ")).isEqualTo("--v8-pool-size=1");
    assertThat(CdkToolkit.withOneV8Worker("--max-old-space-size=4096"))
        .isEqualTo("--max-old-space-size=4096 --v8-pool-size=1");
    assertThat(CdkToolkit.withOneV8Worker("--v8-pool-size=4")).isEqualTo("--v8-pool-size=4");
  }
}
