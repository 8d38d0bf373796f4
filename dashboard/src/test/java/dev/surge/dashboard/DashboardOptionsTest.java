package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DashboardOptionsTest {
  @Test
  void defaultsServeLoopbackOn8080() {
    DashboardOptions o = DashboardOptions.defaults();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.heartbeat()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void rejectsNonsense() {
    DashboardOptions o = DashboardOptions.defaults();
    assertThatThrownBy(() -> o.withPort(-1)).hasMessageContaining("port");
    assertThatThrownBy(() -> o.withPort(65_536)).hasMessageContaining("port");
    assertThatThrownBy(() -> o.withHost(" ")).hasMessageContaining("host");
    assertThatThrownBy(() -> o.withHeartbeat(Duration.ZERO)).hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> o.withMaxStreams(0)).hasMessageContaining("maxStreams");
  }
}
