package dev.surge.trigger;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.LaunchFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trigger's decisions in its log: one line per decision, {@value #MARKER}, one space and a
 * compact JSON object, e.g.
 *
 * <pre>{@code
 * SURGE_TRIGGER_DECISION {"id":"reconcile","cause":"reconcile","action":"launched","backlog":1100,
 *   "running":0,"desired":4,"started":4,"failures":[],"ms":212,"note":"reconcile: ..."}
 * }</pre>
 *
 * (on one line). The function logs them, the AWS watcher reads them back from the function's log
 * group; both go through this class, so the two cannot drift apart. The marker is one word, so a
 * CloudWatch Logs filter pattern ({@link #FILTER_PATTERN}) selects exactly these lines.
 *
 * <p>{@code failures} holds one reason per task that could not be started, in launch order; {@code
 * id} (the SNS message id, or {@value #RECONCILE}) and {@code ms} (how long the decision took) are
 * for people reading the log and are not read back.
 */
public final class TriggerDecisionLine {
  /** The word that starts every decision's JSON. */
  public static final String MARKER = "SURGE_TRIGGER_DECISION";

  /** A CloudWatch Logs filter pattern matching the lines that carry {@link #MARKER}. */
  // Quoted: CloudWatch Logs wants a term with characters other than letters and digits ('_') in
  // double quotes.
  public static final String FILTER_PATTERN = "\"" + MARKER + "\"";

  /**
   * The cause of a decision made by a reconcile; also the id a reconcile logs where a notification
   * logs its SNS message id.
   */
  public static final String RECONCILE = "reconcile";

  /** The cause of a decision made on an alarm notification. */
  public static final String NOTIFICATION = "notification";

  private static final String PREFIX = MARKER + " ";

  // Shared and never reconfigured, so safe to use from every thread.
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ID = "id";
  private static final String CAUSE = "cause";
  private static final String ACTION = "action";
  private static final String BACKLOG = "backlog";
  private static final String RUNNING = "running";
  private static final String DESIRED = "desired";
  private static final String STARTED = "started";
  private static final String FAILURES = "failures";
  private static final String MS = "ms";
  private static final String NOTE = "note";

  private TriggerDecisionLine() {}

  /**
   * What a decision line says: the fields of {@link PipelineEvent.TriggerDecided} but its time.
   *
   * @param cause {@value TriggerDecisionLine#RECONCILE} or {@value
   *     TriggerDecisionLine#NOTIFICATION}
   * @param action the report's action in lower case ({@code launched}, {@code satisfied}, {@code
   *     ignored}, {@code duplicate}, {@code malformed}, {@code idle})
   * @param backlog messages visible plus in flight when deciding (0 without a decision)
   * @param running tasks alive when deciding (0 without a decision)
   * @param desired the fleet size the policy wanted (0 without a decision)
   * @param started how many tasks were started
   * @param failures the reason of each task that could not be started
   * @param note the report's reason: why this action
   */
  public record Decision(
      String cause,
      String action,
      long backlog,
      int running,
      int desired,
      int started,
      List<String> failures,
      String note) {
    private static final Set<String> ACTIONS =
        Arrays.stream(TriggerReport.Action.values())
            .map(Decision::actionName)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Requires a known cause and action, counts of zero or more and a note; copies the list.
     *
     * @throws IllegalArgumentException for an unknown cause or action, or a negative count
     */
    public Decision {
      if (!RECONCILE.equals(cause) && !NOTIFICATION.equals(cause)) {
        throw new IllegalArgumentException("unknown cause: " + cause);
      }
      if (!ACTIONS.contains(action)) {
        throw new IllegalArgumentException("unknown action: " + action);
      }
      if (backlog < 0 || running < 0 || desired < 0 || started < 0) {
        throw new IllegalArgumentException("negative count");
      }
      failures = List.copyOf(failures);
      Objects.requireNonNull(note, "note");
    }

    /** What {@code report} says, for a decision with {@code cause}. */
    public static Decision of(TriggerReport report, String cause) {
      return new Decision(
          cause,
          actionName(report.action()),
          report.backlog(),
          report.running(),
          report.desired(),
          report.started().size(),
          report.failures().stream().map(LaunchFailure::reason).toList(),
          report.reason());
    }

    /** This decision as the pipeline event viewers show, observed {@code at}. */
    public PipelineEvent.TriggerDecided toEvent(Instant at) {
      return new PipelineEvent.TriggerDecided(
          at, cause, action, backlog, running, desired, started, failures, note);
    }

    private static String actionName(TriggerReport.Action action) {
      return action.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The decision line for {@code report}.
   *
   * @param id the SNS message id of the notification decided on (may be empty), or {@value
   *     #RECONCILE} for a reconcile
   * @param millis how long the decision took
   */
  public static String write(TriggerReport report, String id, long millis) {
    Objects.requireNonNull(id, "id");
    Decision d = Decision.of(report, RECONCILE.equals(id) ? RECONCILE : NOTIFICATION);
    ObjectNode json = JSON.createObjectNode();
    json.put(ID, id);
    json.put(CAUSE, d.cause());
    json.put(ACTION, d.action());
    json.put(BACKLOG, d.backlog());
    json.put(RUNNING, d.running());
    json.put(DESIRED, d.desired());
    json.put(STARTED, d.started());
    ArrayNode failures = json.putArray(FAILURES);
    d.failures().forEach(failures::add);
    json.put(MS, millis);
    // Last: the only free text, and the longest part.
    json.put(NOTE, d.note());
    return PREFIX + json;
  }

  /**
   * The decision in {@code line}, wherever the marker appears in it (Lambda and the log binding put
   * the level and the logger's name before the message).
   *
   * @return empty for a line that is not a decision line, or one whose JSON is cut off, invalid or
   *     lacks a field; never throws
   */
  public static Optional<Decision> parse(String line) {
    int at = line == null ? -1 : line.indexOf(PREFIX);
    if (at < 0) {
      return Optional.empty();
    }
    try {
      // The first marker is the real one: a note may quote the marker, but only inside the JSON.
      return decision(JSON.readTree(line.substring(at + PREFIX.length())));
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Decision> decision(JsonNode json) {
    if (json == null || !json.isObject()) {
      return Optional.empty();
    }
    JsonNode cause = json.path(CAUSE);
    JsonNode action = json.path(ACTION);
    JsonNode backlog = json.path(BACKLOG);
    JsonNode running = json.path(RUNNING);
    JsonNode desired = json.path(DESIRED);
    JsonNode started = json.path(STARTED);
    JsonNode failures = json.path(FAILURES);
    JsonNode note = json.path(NOTE);
    if (!cause.isTextual()
        || !action.isTextual()
        || !isLong(backlog)
        || !isInt(running)
        || !isInt(desired)
        || !isInt(started)
        || !failures.isArray()
        || !note.isTextual()) {
      return Optional.empty();
    }
    List<String> reasons = new ArrayList<>(failures.size());
    for (JsonNode f : failures) {
      if (!f.isTextual()) {
        return Optional.empty();
      }
      reasons.add(f.textValue());
    }
    return Optional.of(
        new Decision(
            cause.textValue(),
            action.textValue(),
            backlog.longValue(),
            running.intValue(),
            desired.intValue(),
            started.intValue(),
            reasons,
            note.textValue()));
  }

  private static boolean isLong(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong();
  }

  private static boolean isInt(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToInt();
  }
}
