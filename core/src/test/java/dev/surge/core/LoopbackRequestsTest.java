package dev.surge.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackRequestsTest {
  private static boolean refused(String target, String host, String origin, String site) {
    return LoopbackRequests.refusal(false, "POST", target, host, origin, site).isPresent();
  }

  @Test
  void whatSdksAndToolsSendIsServed() {
    assertThat(refused("/", "127.0.0.1:9324", null, null)).isFalse();
    assertThat(refused("/000000000000/q?Action=X", "localhost:9324", null, null)).isFalse();
    assertThat(refused("/", "[::1]:8000", null, "none")).isFalse();
  }

  @Test
  void aTargetThatNamesAnotherServerIsRefused() {
    assertThat(refused("//127.0.0.1:18777/x", "127.0.0.1:9324", null, null)).isTrue();
    assertThat(refused("http://127.0.0.1:8080/api/snapshot", "127.0.0.1:9324", null, null))
        .isTrue();
    assertThat(refused("", "127.0.0.1:9324", null, null)).isTrue();
  }

  @Test
  void aHostThatIsNotLoopbackIsRefused() {
    assertThat(refused("/", "rebind.attacker.example:9324", null, null)).isTrue();
    assertThat(refused("/", null, null, null)).isTrue();
    assertThat(refused("/", "127.0.0.1.evil.example", null, null)).isTrue();
  }

  @Test
  void anyOriginOrCrossSiteFetchIsRefusedByAnApi() {
    assertThat(refused("/", "127.0.0.1:9324", "http://evil.example", null)).isTrue();
    assertThat(refused("/", "127.0.0.1:9324", "null", null)).isTrue();
    assertThat(refused("/", "127.0.0.1:9324", "http://127.0.0.1:9324", null)).isTrue();
    assertThat(refused("/", "127.0.0.1:9324", null, "same-site")).isTrue();
    assertThat(refused("/", "127.0.0.1:9324", null, "cross-site")).isTrue();
    assertThat(refused("/", "127.0.0.1:9324", null, "same-origin")).isTrue();
  }

  @Test
  void aPageServerAcceptsItsOwnOriginOnly() {
    assertThat(
            LoopbackRequests.refusal(
                true, "GET", "/api/snapshot", "127.0.0.1:8080", "http://127.0.0.1:8080", null))
        .isEmpty();
    assertThat(
            LoopbackRequests.refusal(true, "GET", "/events", "127.0.0.1:8080", null, "same-origin"))
        .isEmpty();
    assertThat(
            LoopbackRequests.refusal(
                true, "GET", "/api/snapshot", "127.0.0.1:8080", "http://127.0.0.1:9999", null))
        .isPresent();
    assertThat(LoopbackRequests.refusal(true, "GET", "/", "127.0.0.1:8080", null, "cross-site"))
        .isPresent();
  }

  @Test
  void aPreflightIsNeverGranted() {
    assertThat(LoopbackRequests.refusal(false, "OPTIONS", "/", "127.0.0.1:8000", null, null))
        .isPresent();
  }
}
