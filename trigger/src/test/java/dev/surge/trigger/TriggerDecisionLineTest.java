package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.LaunchFailure;
import dev.surge.trigger.TriggerDecisionLine.Decision;
import dev.surge.trigger.TriggerReport.Action;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The decision line: what the function writes is what the watcher reads, and nothing else is. */
class TriggerDecisionLineTest {
  private static final String SNS_ID = "95df01b4-ee98-5cb9-9903-4c221d41eb5e";

  private static TriggerReport report(Action action, List<LaunchFailure> failures, String reason) {
    return new TriggerReport(action, 1100, 1, 4, List.of("t1", "t2"), failures, reason);
  }

  private static LaunchFailure failure(String reason) {
    return new LaunchFailure(reason, "detail that stays in the launcher's own log line");
  }

  @Test
  void theLineIsTheMarkerAndOneCompactJsonObject() {
    String line =
        TriggerDecisionLine.write(
            report(Action.LAUNCHED, List.of(failure("RESOURCE:MEMORY")), "reconcile: started 2"),
            "reconcile",
            212);

    // Pinned: a function deployed earlier and a watcher built later must agree on this.
    assertThat(line)
        .isEqualTo(
            "SURGE_TRIGGER_DECISION {\"id\":\"reconcile\",\"cause\":\"reconcile\","
                + "\"action\":\"launched\",\"backlog\":1100,\"running\":1,\"desired\":4,"
                + "\"started\":2,\"failures\":[\"RESOURCE:MEMORY\"],\"ms\":212,"
                + "\"note\":\"reconcile: started 2\"}");
  }

  @ParameterizedTest
  @EnumSource(Action.class)
  void everyActionIsReadBackWithItsFigures(Action action) {
    TriggerReport r = report(action, List.of(), action.name() + ": why");

    Decision d = TriggerDecisionLine.parse(TriggerDecisionLine.write(r, SNS_ID, 3)).orElseThrow();

    assertThat(d)
        .isEqualTo(
            new Decision(
                "notification",
                action.name().toLowerCase(Locale.ROOT),
                1100,
                1,
                4,
                2,
                List.of(),
                action.name() + ": why"));
    assertThat(d).isEqualTo(Decision.of(r, TriggerDecisionLine.NOTIFICATION));
  }

  @Test
  void aReconcileIsTheReconcileCauseAndAnyOtherIdANotification() {
    TriggerReport r = report(Action.SATISFIED, List.of(), "enough");

    assertThat(TriggerDecisionLine.parse(TriggerDecisionLine.write(r, "reconcile", 0)))
        .hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo("reconcile"));
    assertThat(TriggerDecisionLine.parse(TriggerDecisionLine.write(r, SNS_ID, 0)))
        .hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo("notification"));
    assertThat(TriggerDecisionLine.parse(TriggerDecisionLine.write(r, "", 0)))
        .hasValueSatisfying(d -> assertThat(d.cause()).isEqualTo("notification"));
  }

  @Test
  void failuresComeBackOnePerTaskInLaunchOrder() {
    TriggerReport r =
        report(
            Action.LAUNCHED,
            List.of(
                failure("RESOURCE:MEMORY"),
                failure("AGENT"),
                failure("RESOURCE:MEMORY"),
                failure("RESOURCE:MEMORY")),
            "started 2 of 6");

    Decision d = TriggerDecisionLine.parse(TriggerDecisionLine.write(r, SNS_ID, 0)).orElseThrow();

    assertThat(d.failures())
        .containsExactly("RESOURCE:MEMORY", "AGENT", "RESOURCE:MEMORY", "RESOURCE:MEMORY");
    assertThat(d.started()).isEqualTo(2);
  }

  @Test
  void freeTextWithQuotesBracesNewlinesAndTheMarkerStaysOneLineAndComesBackIntact() {
    String note =
        "malformed: Unexpected character ('}' (code 125)) in \"Message\": {\"AlarmName\":\n"
            + "  \"x\"}\r\n\tSURGE_TRIGGER_DECISION {\"action\":\"idle\"} \\ ünïcode ✓";
    String reason = "CLIENT_ERROR: {\"message\":\"denied\"}\nrole=\"arn:aws:iam::1:role/x\"";
    TriggerReport r = report(Action.MALFORMED, List.of(failure(reason)), note);

    String line = TriggerDecisionLine.write(r, SNS_ID, 0);
    Decision d = TriggerDecisionLine.parse(line).orElseThrow();

    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    assertThat(d.note()).isEqualTo(note);
    assertThat(d.failures()).containsExactly(reason);
    assertThat(d.action()).isEqualTo("malformed");
  }

  @Test
  void theLineIsFoundAfterTheLevelAndLoggerThatLambdaLogsBeforeIt() {
    String line =
        TriggerDecisionLine.write(report(Action.IDLE, List.of(), "idle: alarm OK"), "reconcile", 0);

    assertThat(TriggerDecisionLine.parse("INFO TriggerService - " + line + "\n"))
        .hasValueSatisfying(d -> assertThat(d.note()).isEqualTo("idle: alarm OK"));
    assertThat(
            TriggerDecisionLine.parse(
                "2026-11-27T22:00:00.123Z 8f5d WARN dev.surge.trigger.TriggerHandler - " + line))
        .hasValueSatisfying(d -> assertThat(d.action()).isEqualTo("idle"));
  }

  @Test
  void theDecisionBecomesThePipelineEventWithTheTimeItWasSeen() {
    Instant at = Instant.parse("2026-11-27T22:00:00Z");
    TriggerReport r = report(Action.LAUNCHED, List.of(failure("AGENT")), "started 2 of 3");

    TriggerDecided e = Decision.of(r, TriggerDecisionLine.RECONCILE).toEvent(at);

    assertThat(e)
        .isEqualTo(
            new TriggerDecided(
                at, "reconcile", "launched", 1100, 1, 4, 2, List.of("AGENT"), "started 2 of 3"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "START RequestId: 8f5d Version: $LATEST",
        "INFO TriggerService - [reconcile] started tasks [t1]",
        "INFO TriggerService - [reconcile] LAUNCHED: x [backlog=3 running=0 desired=1 started=1"
            + " failed=0] (in 212 ms)",
        "SURGE_TRIGGER_DECISION",
        "SURGE_TRIGGER_DECISION ",
        "SURGE_TRIGGER_DECISION{\"cause\":\"reconcile\"}",
        "SURGE_TRIGGER_DECISION null",
        "SURGE_TRIGGER_DECISION [1,2]",
        "SURGE_TRIGGER_DECISION {broken",
        "SURGE_WORKER_SUMMARY {\"written\":7}",
      })
  void otherLinesAreNotDecisions(String line) {
    assertThat(TriggerDecisionLine.parse(line)).isEmpty();
  }

  @Test
  void aNullLineIsNotADecision() {
    assertThat(TriggerDecisionLine.parse(null)).isEmpty();
  }

  @Test
  void aLineCutOffAnywhereIsNotADecision() {
    String line =
        TriggerDecisionLine.write(
            report(Action.LAUNCHED, List.of(failure("AGENT")), "started 2 of 3"), SNS_ID, 5);

    for (int end = 0; end < line.length(); end++) {
      assertThat(TriggerDecisionLine.parse(line.substring(0, end)))
          .as("cut at %d: %s", end, line.substring(0, end))
          .isEmpty();
    }
  }

  /** A hand-written decision line: every field the watcher reads, with {@code name} replaced. */
  private static String lineWith(String name, String rawJson) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cause", "\"notification\"");
    fields.put("action", "\"satisfied\"");
    fields.put("backlog", "3");
    fields.put("running", "0");
    fields.put("desired", "1");
    fields.put("started", "0");
    fields.put("failures", "[]");
    fields.put("note", "\"enough\"");
    if (rawJson == null) {
      fields.remove(name);
    } else {
      fields.put(name, rawJson);
    }
    return fields.entrySet().stream()
        .map(f -> "\"" + f.getKey() + "\":" + f.getValue())
        .collect(Collectors.joining(",", "SURGE_TRIGGER_DECISION {", "}"));
  }

  @Test
  void theHandWrittenLineIsADecision() {
    assertThat(TriggerDecisionLine.parse(lineWith("note", "\"enough\"")))
        .hasValue(new Decision("notification", "satisfied", 3, 0, 1, 0, List.of(), "enough"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "cause    | \"schedule\"",
        "action   | \"LAUNCHED\"",
        "action   | \"exploded\"",
        "backlog  | -1",
        "backlog  | \"1100\"",
        "backlog  | 99999999999999999999",
        "running  | 2147483648",
        "desired  | 4.5",
        "started  | null",
        "failures | \"AGENT\"",
        "failures | [1]",
        "failures | {}",
        "note     | {}",
      })
  void aFieldOfTheWrongKindMakesTheLineNoDecision(String name, String rawJson) {
    assertThat(TriggerDecisionLine.parse(lineWith(name, rawJson))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"cause", "action", "backlog", "running", "desired", "started", "failures", "note"})
  void aLineWithoutAFieldIsNoDecision(String name) {
    assertThat(TriggerDecisionLine.parse(lineWith(name, null))).isEmpty();
  }

  @Test
  void fieldsTheWatcherDoesNotNeedMayBeAddedOrMissing() {
    String line =
        "INFO TriggerService - SURGE_TRIGGER_DECISION {\"cause\":\"notification\","
            + "\"action\":\"ignored\",\"backlog\":0,\"running\":0,\"desired\":0,\"started\":0,"
            + "\"failures\":[],\"note\":\"ignored: state OK\",\"region\":\"us-east-1\"} trailing";

    assertThat(TriggerDecisionLine.parse(line))
        .hasValue(
            new Decision("notification", "ignored", 0, 0, 0, 0, List.of(), "ignored: state OK"));
  }

  @Test
  void aDecisionRequiresAKnownCauseAndAction() {
    assertThatThrownBy(() -> new Decision("cron", "idle", 0, 0, 0, 0, List.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision("reconcile", "IDLE", 0, 0, 0, 0, List.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
