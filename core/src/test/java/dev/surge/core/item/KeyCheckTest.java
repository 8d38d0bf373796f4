package dev.surge.core.item;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyCheckTest {
  @Test
  void seedBodyIsValid() {
    assertThat(KeyCheck.of("123456789")).isInstanceOf(KeyCheck.Valid.class);
  }

  @Test
  void exactly2048BytesIsValid() {
    assertThat(KeyCheck.of("x".repeat(2048))).isInstanceOf(KeyCheck.Valid.class);
  }

  @Test
  void over2048BytesIsInvalidAndSaysWhy() {
    KeyCheck check = KeyCheck.of("x".repeat(2049));
    assertThat(check).isInstanceOf(KeyCheck.Invalid.class);
    assertThat(((KeyCheck.Invalid) check).reason()).contains("2049 bytes").contains("2048");
  }

  @Test
  void bytesAreCountedInUtf8NotChars() {
    // 700 chars of a 3-byte character = 2100 bytes.
    KeyCheck check = KeyCheck.of("\u20ac".repeat(700));
    assertThat(check).isInstanceOf(KeyCheck.Invalid.class);
    assertThat(KeyCheck.of("\u20ac".repeat(682))).isInstanceOf(KeyCheck.Valid.class);
  }

  @Test
  void emptyBodyIsInvalid() {
    assertThat(KeyCheck.of("")).isInstanceOf(KeyCheck.Invalid.class);
  }
}
