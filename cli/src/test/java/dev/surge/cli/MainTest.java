package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void anErrorNoCommandHandlesIsPrintedAndExitsOne() {
    StringWriter text = new StringWriter();
    int code =
        Main.exitCode(
            () -> {
              throw new NoClassDefFoundError("com/example/Missing");
            },
            new PrintWriter(text));
    assertThat(code).isEqualTo(1);
    assertThat(text.toString())
        .startsWith("surge: internal error: java.lang.NoClassDefFoundError: com/example/Missing");
  }

  @Test
  void aCommandsOwnExitCodeIsKept() {
    assertThat(Main.exitCode(() -> 2, new PrintWriter(new StringWriter()))).isEqualTo(2);
  }
}
