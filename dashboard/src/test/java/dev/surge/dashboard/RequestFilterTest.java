package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestFilterTest {
  @Test
  void hostNameDropsThePort() {
    assertThat(RequestFilter.hostName("127.0.0.1:8080")).isEqualTo("127.0.0.1");
    assertThat(RequestFilter.hostName("LocalHost")).isEqualTo("localhost");
    assertThat(RequestFilter.hostName("[::1]:8080")).isEqualTo("::1");
  }

  @Test
  void onlyLoopbackNamesAreLoopback() {
    assertThat(RequestFilter.isLoopbackName("localhost")).isTrue();
    assertThat(RequestFilter.isLoopbackName("127.0.0.1")).isTrue();
    assertThat(RequestFilter.isLoopbackName("127.1.2.3")).isTrue();
    assertThat(RequestFilter.isLoopbackName("::1")).isTrue();
    assertThat(RequestFilter.isLoopbackName("dashboard.localhost")).isTrue();
    assertThat(RequestFilter.isLoopbackName("evil.example")).isFalse();
    assertThat(RequestFilter.isLoopbackName("127.0.0.1.evil.example")).isFalse();
    assertThat(RequestFilter.isLoopbackName("10.0.0.1")).isFalse();
  }
}
