package dev.surge.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import org.junit.jupiter.api.Test;

class NodeVersionTest {
  @Test
  void supportedReleasesRunQuietly() {
    for (String v : new String[] {"v22.12.0", "v24.1.0\n", "v26.0.0"}) {
      NodeVersion n = NodeVersion.parse(v).requireRunnable();
      assertThat(n.warning()).as(v).isEmpty();
      assertThat(n.silencing()).as(v).isEmpty();
    }
  }

  @Test
  void node20DeploysWithOneLineInsteadOfTheRuntimesBanner() {
    NodeVersion n = NodeVersion.parse("v20.20.2\n").requireRunnable();
    assertThat(n.major()).isEqualTo(20);
    assertThat(n.warning()).hasValueSatisfying(w -> assertThat(w).doesNotContain("\n"));
    assertThat(n.warning().orElseThrow()).contains("v20.20.2").contains("Node.js 22 or 24");
    assertThat(n.silencing())
        .containsEntry("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
        .containsKey("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION");
  }

  @Test
  void olderOrUnreadableReleasesAreRefusedWithWhatToInstall() {
    assertThatThrownBy(() -> NodeVersion.parse("v18.20.0").requireRunnable())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("install Node.js 22 or 24");
    assertThatThrownBy(() -> NodeVersion.parse("command not found"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("install Node.js 22 or 24");
  }
}
