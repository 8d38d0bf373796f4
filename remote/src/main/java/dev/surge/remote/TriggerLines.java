package dev.surge.remote;

import dev.surge.core.observe.PipelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the trigger function's decisions back from its log lines. The function logs one line per
 * decision ({@code TriggerService}: {@code [<SNS message id or "reconcile">] <report summary>}, the
 * summary being {@code TriggerReport.summary()}), which Lambda sends to the function's log group.
 * These are the same reports the local target publishes as {@link PipelineEvent.TriggerDecided}.
 */
final class TriggerLines {
  /** The word every decision line carries: the logger's short name (a log filter pattern). */
  static final String LOGGER = "TriggerService";

  private static final Pattern LINE =
      Pattern.compile("\\b" + LOGGER + " - \\[(?<id>[^\\]]*)\\] (?<summary>.+?)\\s*$");

  // TriggerReport.summary() of a decision, then TriggerService's "(in N ms)".
  private static final Pattern DECIDED =
      Pattern.compile(
          "(?<action>LAUNCHED|SATISFIED): (?<reason>.*) \\[backlog=(?<backlog>\\d+)"
              + " running=(?<running>\\d+) desired=(?<desired>\\d+) started=(?<started>\\d+)"
              + " failed=(?<failed>\\d+)(?: reasons=\\{(?<reasons>[^}]*)\\})?\\](?: \\(in \\d+"
              + " ms\\))?");

  // TriggerReport.summary() without a decision: the reason, which starts with the action.
  private static final Pattern WITHOUT =
      Pattern.compile("(?<action>ignored|duplicate|malformed|idle): .*");

  private TriggerLines() {}

  /** The decision {@code message} logs, observed at {@code at}; empty for any other line. */
  static Optional<PipelineEvent.TriggerDecided> parse(String message, Instant at) {
    Matcher line = LINE.matcher(message);
    if (!line.find()) {
      return Optional.empty();
    }
    try {
      return decision(line, at);
    } catch (NumberFormatException e) {
      // A count out of range: not a line this parser knows.
      return Optional.empty();
    }
  }

  private static Optional<PipelineEvent.TriggerDecided> decision(Matcher line, Instant at) {
    String id = line.group("id");
    String cause = id.equals("reconcile") ? "reconcile" : "notification";
    String summary = line.group("summary");
    Matcher d = DECIDED.matcher(summary);
    if (d.matches()) {
      return Optional.of(
          new PipelineEvent.TriggerDecided(
              at,
              cause,
              d.group("action").toLowerCase(Locale.ROOT),
              Long.parseLong(d.group("backlog")),
              Integer.parseInt(d.group("running")),
              Integer.parseInt(d.group("desired")),
              Integer.parseInt(d.group("started")),
              failures(d.group("reasons")),
              d.group("reason")));
    }
    Matcher w = WITHOUT.matcher(summary);
    if (w.matches()) {
      return Optional.of(
          new PipelineEvent.TriggerDecided(
              at, cause, w.group("action"), 0, 0, 0, 0, List.of(), summary));
    }
    return Optional.empty();
  }

  /** {@code A=2, B=1} (failures counted by reason) as {@code [A, A, B]}. */
  private static List<String> failures(String reasons) {
    List<String> out = new ArrayList<>();
    if (reasons == null || reasons.isBlank()) {
      return out;
    }
    for (String entry : reasons.split(", ")) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        continue;
      }
      int n = Integer.parseInt(entry.substring(eq + 1).strip());
      for (int i = 0; i < n; i++) {
        out.add(entry.substring(0, eq));
      }
    }
    return out;
  }
}
