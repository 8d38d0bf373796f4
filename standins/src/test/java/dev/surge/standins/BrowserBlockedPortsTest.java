package dev.surge.standins;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BrowserBlockedPortsTest {
  @Test
  void theListIsTheFetchStandardsBadPortsThatNeedNoRoot() {
    // fetch.spec.whatwg.org, "port blocking": every bad port from 1024 up, but 4190 and 6679,
    // which Chromium still connects to (LocalCloudBrowserSecurityIT tries each in Chromium).
    assertThat(BrowserBlockedPorts.PORTS)
        .containsExactlyInAnyOrder(
            1719, 1720, 1723, 2049, 3659, 4045, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
            6669, 6697, 10080)
        .doesNotHaveDuplicates();
    assertThat(BrowserBlockedPorts.blocked(9324)).isFalse();
  }

  @Test
  void aTakenPortIsPassedOver() throws Exception {
    try (ServerSocket held = BrowserBlockedPorts.listen("127.0.0.1", 5)) {
      int port = held.getLocalPort();
      assertThat(BrowserBlockedPorts.blocked(port)).isTrue();
      int next = BrowserBlockedPorts.free("127.0.0.1", 0);
      assertThat(next).isNotEqualTo(port);
      assertThat(BrowserBlockedPorts.blocked(next)).isTrue();
    }
  }
}
