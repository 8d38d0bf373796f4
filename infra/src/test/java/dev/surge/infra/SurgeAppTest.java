package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The app entry point: context in, cloud assembly (or a usage error) out. */
class SurgeAppTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, Object> context) {
    App app =
        new App(
            AppProps.builder().outdir(dir.resolve("cdk.out").toString()).context(context).build());
    return SurgeApp.run(app, dir, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aBadContextValueExitsTwoWithTheReasonAndSynthesizesNothing() {
    int code = run(Map.of("lambdaJar", Synthesized.lambdaJar().toString(), "prefix", "1x"));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("surge infra: prefix '1x'");
    assertThat(dir.resolve("cdk.out").resolve("Surge.template.json")).doesNotExist();
  }

  @Test
  void aGoodContextWritesTheSurgeTemplate() throws IOException {
    int code = run(Map.of("lambdaJar", Synthesized.lambdaJar().toString()));
    assertThat(code).isZero();
    Path template = dir.resolve("cdk.out").resolve("Surge.template.json");
    assertThat(template).exists();
    assertThat(Files.readString(template)).contains("AWS::Lambda::Function", "fasttracksaa");
  }
}
