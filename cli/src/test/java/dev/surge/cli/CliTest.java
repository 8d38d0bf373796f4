package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument handling, without any network. */
class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void anUnknownFlagIsAUsageErrorWithExitCodeTwo() {
    assertThat(run(Map.of(), "produce", "--cuont", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option").contains("'--cuont'");
  }

  @Test
  void aBadValueOrFlagOfAnyCommandIsOneLineSayingWhereTheFlagsAreDescribedAndExitTwo() {
    // Before: the error, then the command's whole usage (4,526 bytes for demo).
    String[][] cases = {
      {"demo", "--messages", "abc"},
      {"demo", "--rate", "fast"},
      {"up", "--sqs-port", "x"},
      {"up", "--aws-port", "x"},
      {"produce", "--messages", "1e3"},
      {"chaos", "--messages", "many"},
      {"bench", "--nope"},
      {"work", "--concurrency"},
      {"status", "extra"},
      {"stop", "--json", "--json2"},
      {"deploy", "--prefix"},
    };
    for (String[] args : cases) {
      StringWriter e = new StringWriter();
      int code =
          Main.run(
              args, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(e, true));
      String what = String.join(" ", args);
      assertThat(code).as(what).isEqualTo(2);
      assertThat(e.toString().lines().toList())
          .as(what)
          .singleElement()
          .asString()
          .startsWith("surge: ")
          .endsWith("; see 'surge " + args[0] + " --help'")
          .doesNotContain("Usage:");
    }
  }

  @Test
  void theAlarmThresholdIsSetWithThresholdOrItsOlderNameActivation() {
    for (String name : new String[] {"--threshold", "--activation"}) {
      StringWriter e = new StringWriter();
      int code =
          Main.run(
              new String[] {"up", name, "-1"},
              Map.of(),
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(e, true));
      assertThat(code).as(name).isEqualTo(2);
      assertThat(e.toString()).as(name).contains("--threshold must be >= 0, was -1.0");
    }
  }

  @Test
  void aBadNumberSaysWhichFlagAndWhatItTakes() {
    assertThat(run(Map.of(), "demo", "--messages", "abc")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "surge: Invalid value for option '--messages': 'abc' is not a whole number; see"
                + " 'surge demo --help'"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnknownCommandOrAMisspeltFlagIsOneLineWithTheNearestNames() {
    assertThat(run(Map.of(), "dmeo")).isEqualTo(2);
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .contains("'dmeo'")
        .endsWith("see 'surge --help'");
    StringWriter e = new StringWriter();
    String[] args = {"demo", "--mesages", "5"};
    assertThat(Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(e, true)))
        .isEqualTo(2);
    assertThat(e.toString().lines().toList())
        .singleElement()
        .asString()
        .contains("'--mesages'")
        .contains("did you mean")
        .contains("--messages?")
        .endsWith("see 'surge demo --help'");
  }

  @Test
  void aWatchOutsideItsRangeSaysWhatIsAllowed() {
    assertThat(run(Map.of(), "status", "--watch", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--watch must be 1..3600 seconds, was 0");
  }

  @Test
  void anOutOfRangeCountSaysWhatIsAllowed() {
    assertThat(run(Map.of(), "produce", "--messages", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--messages must be 1..");
  }

  @Test
  void produceTakesMessagesAsDemoChaosAndBenchDoAndStillTakesCount() {
    assertThat(run(Map.of(), "produce", "--count", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--messages must be 1..").contains("was -1");
  }

  @Test
  void aBadWorkerSettingNamesTheVariable() {
    assertThat(run(Map.of("SURGE_IDLE_SECONDS", "soon"), "work")).isEqualTo(2);
    assertThat(err.toString()).contains("SURGE_IDLE_SECONDS='soon'");
  }

  @Test
  void aPollWaitThatIsNotALongPollIsAUsageErrorInOneLine() {
    // Port 9 (discard) answers nothing: were the flag taken, the worker would not reach SQS.
    Map<String, String> env = Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9");
    assertThat(run(env, "work", "--poll-wait", "0")).isEqualTo(2);
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("surge: --poll-wait='0'")
        .contains("whole number of seconds, 1..20")
        .contains("0 is short polling");
    assertThat(run(env, "up", "--poll-wait", "0.5")).isEqualTo(2);
    assertThat(err.toString()).contains("surge: --poll-wait='0.5'");
  }

  @Test
  void aBadEndpointNamesTheVariable() {
    assertThat(run(Map.of("AWS_ENDPOINT_URL_SQS", "localhost"), "produce")).isEqualTo(2);
    assertThat(err.toString()).contains("AWS_ENDPOINT_URL_SQS='localhost' is not a URL");
  }

  @Test
  void aBadImageReferenceOrTagIsAUsageErrorBeforeAnythingRuns() {
    assertThat(run(Map.of(), "image", "--to", "fasttracksaa")).isEqualTo(2);
    assertThat(err.toString()).contains("'fasttracksaa' is not registry/repository:tag");
    assertThat(run(Map.of(), "deploy", "--image-tag", "not a tag")).isEqualTo(2);
    assertThat(err.toString()).contains("--image-tag 'not a tag' is not an image tag");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString())
        .contains("up", "produce", "work", "bench", "chaos", "image", "purge", "logs");
  }

  @Test
  void noCommandIsAUsageErrorWithTheCommandsOnStandardError() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("no command given").contains("demo", "up", "chaos");
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    assertThat(run(Map.of(), "demo", "--sqs-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--sqs-port must be 0..65535");
    assertThat(run(Map.of(), "up", "--dashboard-port", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--dashboard-port must be 0..65535");
  }

  @Test
  void statusAsJsonStaysJsonWhenNothingRuns() throws Exception {
    // Port 9 (discard) answers nothing here, for the dashboard and for SQS.
    int code =
        run(
            Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9"),
            "status",
            "--json",
            "--dashboard-port",
            "9");
    assertThat(code).isEqualTo(2);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(json.get("running").asBoolean()).isFalse();
    assertThat(json.get("error").asText()).contains("nothing is running").contains("surge up");
    assertThat(err.toString()).contains("surge: nothing is running");
  }

  @Test
  void purgeWithNothingRunningIsOneLineSayingToStartTheLocalCloud() {
    // Port 9 (discard) answers nothing here.
    int code =
        run(
            Map.of(
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9"),
            "purge");
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("surge: SQS is not reachable at http://127.0.0.1:9 ")
        .contains("start the local cloud with './surge up'");
  }

  @Test
  void purgeIsLocalOnlyAndSaysSoInOneLine() {
    assertThat(run(Map.of(), "purge", "--target", "aws")).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("surge: surge purge empties the local cloud only")
        .contains("aws sqs purge-queue");
  }

  @Test
  void shellCompletionIsGeneratedFromTheCommands() {
    assertThat(run(Map.of(), "generate-completion")).isZero();
    assertThat(out.toString())
        .contains("complete -F")
        .contains("demo")
        .contains("chaos")
        .contains("--messages");
  }

  @Test
  void chaosChecksItsFlagsBeforeStartingAnything() {
    assertThat(run(Map.of(), "chaos", "--messages", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("--messages must be 100..");
    assertThat(run(Map.of(), "chaos", "--max-tasks", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-tasks must be 2..100");
    assertThat(run(Map.of(), "chaos", "--alarm-period", "never")).isEqualTo(2);
    assertThat(err.toString()).contains("--alarm-period");
  }
}
