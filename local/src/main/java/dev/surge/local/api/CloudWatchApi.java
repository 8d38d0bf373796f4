package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.alarm.AlarmSpec;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.alarm.AlarmTransition;
import dev.surge.core.alarm.Datapoint;
import dev.surge.core.alarm.Statistic;
import dev.surge.local.alarm.LocalAlarm;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CloudWatch over the local alarm: the alarm as {@code DescribeAlarms} lists it, its history (its
 * creation and every state change it kept), and the samples it took of {@code AWS/SQS
 * ApproximateNumberOfMessagesVisible} as that metric's statistics. The metric exists only as the
 * alarm measured it: one sample per alarm period, stamped with the period's start; any other metric
 * has no datapoints, as in CloudWatch for a metric nobody publishes.
 */
final class CloudWatchApi implements Service {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INITIAL_REASON = "Unchecked: Initial alarm creation";

  private final LocalChain chain;

  CloudWatchApi(LocalChain chain) {
    this.chain = chain;
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  @Override
  public String title() {
    return "CloudWatch";
  }

  @Override
  public List<String> operations() {
    return List.of(
        "DescribeAlarms", "DescribeAlarmHistory", "GetMetricStatistics", "GetMetricData");
  }

  @Override
  public String xmlNamespace() {
    return "http://monitoring.amazonaws.com/doc/2010-08-01/";
  }

  @Override
  public boolean queryCompatible() {
    return true;
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    return switch (request.operation()) {
      case "DescribeAlarms" -> describeAlarms(in);
      case "DescribeAlarmHistory" -> history(in);
      case "GetMetricStatistics" -> statistics(in);
      case "GetMetricData" -> metricData(in);
      default -> throw new IllegalStateException(request.operation());
    };
  }

  // --- alarms ------------------------------------------------------------------------------------

  private Map<String, Object> describeAlarms(JsonNode in) {
    List<String> names = Params.texts(in, "AlarmNames");
    Optional<String> prefix = Params.text(in, "AlarmNamePrefix");
    if (!names.isEmpty() && prefix.isPresent()) {
      throw combination("AlarmNames and AlarmNamePrefix cannot be used together");
    }
    Optional<String> state = Params.text(in, "StateValue").map(this::state);
    Optional<String> actionPrefix = Params.text(in, "ActionPrefix");
    List<String> types = Params.texts(in, "AlarmTypes");
    LocalAlarm alarm = chain.alarm();
    String name = alarm.evaluator().spec().name();
    boolean listed =
        (types.isEmpty() || types.contains("MetricAlarm"))
            && (names.isEmpty() || names.contains(name))
            && prefix.map(name::startsWith).orElse(true)
            && state.map(s -> s.equals(alarm.state().name())).orElse(true)
            && actionPrefix.map(p -> chain.topic().arn().startsWith(p)).orElse(true);
    return struct(
        "MetricAlarms", listed ? List.of(alarm(alarm)) : List.of(), "CompositeAlarms", List.of());
  }

  private String state(String value) {
    try {
      return AlarmState.valueOf(value).name();
    } catch (IllegalArgumentException e) {
      throw invalid("StateValue must be OK, ALARM or INSUFFICIENT_DATA, was '" + value + "'");
    }
  }

  private Map<String, Object> alarm(LocalAlarm alarm) {
    AlarmSpec spec = alarm.evaluator().spec();
    Optional<AlarmTransition> last = alarm.evaluator().lastTransition();
    Instant updated = last.map(AlarmTransition::at).orElse(alarm.createdAt());
    return struct(
        "AlarmName", spec.name(),
        "AlarmArn", chain.alarmArn(),
        "AlarmDescription", description(spec),
        "AlarmConfigurationUpdatedTimestamp", alarm.createdAt(),
        "ActionsEnabled", true,
        "OKActions", List.of(),
        "AlarmActions", List.of(chain.topic().arn()),
        "InsufficientDataActions", List.of(),
        "StateValue", alarm.state().name(),
        "StateReason", last.map(AlarmTransition::reason).orElse(INITIAL_REASON),
        "StateReasonData", last.map(AlarmTransition::reasonData),
        "StateUpdatedTimestamp", updated,
        "MetricName", spec.metricName(),
        "Namespace", spec.namespace(),
        "Statistic", spec.statistic().cloudWatchName(),
        "Dimensions", dimensions(spec.dimensions()),
        "Period", periodSeconds(spec),
        "EvaluationPeriods", spec.evaluationPeriods(),
        "DatapointsToAlarm", spec.datapointsToAlarm(),
        "Threshold", spec.threshold(),
        "ComparisonOperator", spec.comparison().cloudWatchName(),
        "TreatMissingData", spec.treatMissingData().cloudWatchName(),
        "StateTransitionedTimestamp", updated);
  }

  /** The stack's alarm description, with the local threshold. */
  private String description(AlarmSpec spec) {
    double t = spec.threshold();
    String threshold = t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    return "More than "
        + threshold
        + " messages visible in "
        + chain.names().queue()
        + ": notifies the topic, whose function starts workers";
  }

  /**
   * The period in whole seconds, as CloudWatch's API gives it; a local period that is not whole
   * seconds (tests run periods of milliseconds) is rounded, to 1 s at least.
   */
  static int periodSeconds(AlarmSpec spec) {
    return (int) Math.max(1, Math.round(spec.period().toMillis() / 1000.0));
  }

  private static List<Object> dimensions(Map<String, String> dimensions) {
    List<Object> out = new ArrayList<>();
    dimensions.forEach((k, v) -> out.add(struct("Name", k, "Value", v)));
    return out;
  }

  // --- history -----------------------------------------------------------------------------------

  private Map<String, Object> history(JsonNode in) {
    LocalAlarm alarm = chain.alarm();
    String name = alarm.evaluator().spec().name();
    Optional<String> wanted = Params.text(in, "AlarmName");
    Optional<String> type = Params.text(in, "HistoryItemType");
    List<String> types = Params.texts(in, "AlarmTypes");
    Optional<Instant> start = Params.instant(in, "StartDate", "InvalidParameterValueException");
    Optional<Instant> end = Params.instant(in, "EndDate", "InvalidParameterValueException");
    int max = Params.integer(in, "MaxRecords", "InvalidParameterValueException").orElse(100);
    if (max < 1 || max > 100) {
      throw invalid("MaxRecords must be 1..100, was " + max);
    }
    int from = token(Params.text(in, "NextToken"));
    boolean ascending = Params.text(in, "ScanBy").orElse("").equals("TimestampAscending");
    List<Map<String, Object>> items = new ArrayList<>();
    if (wanted.map(name::equals).orElse(true)
        && (types.isEmpty() || types.contains("MetricAlarm"))) {
      items.add(created(alarm));
      String reason = INITIAL_REASON;
      for (AlarmTransition t : alarm.history()) {
        items.add(stateUpdate(t, reason));
        reason = t.reason();
      }
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    for (Map<String, Object> item : items) {
      Instant at = (Instant) item.get("Timestamp");
      if (type.map(item.get("HistoryItemType")::equals).orElse(true)
          && start.map(s -> !at.isBefore(s)).orElse(true)
          && end.map(e -> !at.isAfter(e)).orElse(true)) {
        kept.add(item);
      }
    }
    Comparator<Map<String, Object>> byTime =
        Comparator.comparing(item -> (Instant) item.get("Timestamp"));
    kept.sort(ascending ? byTime : byTime.reversed());
    List<Map<String, Object>> page = kept.subList(Math.min(from, kept.size()), kept.size());
    boolean more = page.size() > max;
    return struct(
        "AlarmHistoryItems",
        more ? List.copyOf(page.subList(0, max)) : List.copyOf(page),
        "NextToken",
        more ? Optional.of(Integer.toString(from + max)) : Optional.empty());
  }

  private static int token(Optional<String> token) {
    try {
      return token.map(Integer::parseInt).orElse(0);
    } catch (NumberFormatException e) {
      throw new ApiException(
          "InvalidNextToken", "the NextToken is not one this endpoint gave", 400);
    }
  }

  private Map<String, Object> created(LocalAlarm alarm) {
    AlarmSpec spec = alarm.evaluator().spec();
    ObjectNode data = JSON.createObjectNode();
    data.put("version", "1.0");
    data.put("type", "Create");
    ObjectNode created = data.putObject("createdAlarm");
    created.put("alarmName", spec.name());
    created.put("namespace", spec.namespace());
    created.put("metricName", spec.metricName());
    created.put("statistic", spec.statistic().cloudWatchName());
    created.put("period", periodSeconds(spec));
    created.put("evaluationPeriods", spec.evaluationPeriods());
    created.put("threshold", spec.threshold());
    created.put("comparisonOperator", spec.comparison().cloudWatchName());
    created.putArray("alarmActions").add(chain.topic().arn());
    return item(
        alarm.createdAt(),
        "ConfigurationUpdate",
        "Alarm \"" + spec.name() + "\" created",
        data.toString());
  }

  private Map<String, Object> stateUpdate(AlarmTransition t, String oldReason) {
    ObjectNode data = JSON.createObjectNode();
    data.put("version", "1.0");
    ObjectNode old = data.putObject("oldState");
    old.put("stateValue", t.from().name());
    old.put("stateReason", oldReason);
    ObjectNode now = data.putObject("newState");
    now.put("stateValue", t.to().name());
    now.put("stateReason", t.reason());
    try {
      now.set("stateReasonData", JSON.readTree(t.reasonData()));
    } catch (IOException e) {
      now.put("stateReasonData", t.reasonData());
    }
    return item(
        t.at(),
        "StateUpdate",
        "Alarm updated from " + t.from().name() + " to " + t.to().name(),
        data.toString());
  }

  private Map<String, Object> item(Instant at, String type, String summary, String data) {
    return struct(
        "AlarmName", chain.alarm().evaluator().spec().name(),
        "AlarmType", "MetricAlarm",
        "Timestamp", at,
        "HistoryItemType", type,
        "HistorySummary", summary,
        "HistoryData", data);
  }

  // --- metrics -----------------------------------------------------------------------------------

  private Map<String, Object> statistics(JsonNode in) {
    String namespace = required(in, "Namespace");
    String metric = required(in, "MetricName");
    Instant start =
        Params.instant(in, "StartTime", "InvalidParameterValueException")
            .orElseThrow(() -> missing("StartTime"));
    Instant end =
        Params.instant(in, "EndTime", "InvalidParameterValueException")
            .orElseThrow(() -> missing("EndTime"));
    int period = period(Params.integer(in, "Period", "InvalidParameterValueException"));
    List<String> names = Params.texts(in, "Statistics");
    if (!Params.texts(in, "ExtendedStatistics").isEmpty()) {
      throw invalid("percentile statistics (ExtendedStatistics) are not served by the local cloud");
    }
    if (names.isEmpty()) {
      throw combination("Statistics or ExtendedStatistics must be given");
    }
    List<Statistic> stats = names.stream().map(this::statistic).toList();
    Map<Long, List<Double>> buckets =
        buckets(namespace, metric, Params.dimensions(in.get("Dimensions")), in, start, end, period);
    List<Object> points = new ArrayList<>();
    buckets.forEach(
        (second, values) -> {
          Map<String, Object> p = struct("Timestamp", Instant.ofEpochSecond(second));
          for (Statistic s : stats) {
            p.put(s.cloudWatchName(), s.apply(values));
          }
          p.put("Unit", "Count");
          points.add(p);
        });
    return struct("Label", metric, "Datapoints", points);
  }

  private Map<String, Object> metricData(JsonNode in) {
    Instant start =
        Params.instant(in, "StartTime", "InvalidParameterValueException")
            .orElseThrow(() -> missing("StartTime"));
    Instant end =
        Params.instant(in, "EndTime", "InvalidParameterValueException")
            .orElseThrow(() -> missing("EndTime"));
    boolean ascending = Params.text(in, "ScanBy").orElse("").equals("TimestampAscending");
    List<Object> results = new ArrayList<>();
    for (JsonNode q : Params.list(in, "MetricDataQueries")) {
      String id = required(q, "Id");
      if (q.hasNonNull("Expression")) {
        throw invalid(
            "metric math (Expression in query "
                + id
                + ") is not served by the local cloud; use"
                + " MetricStat");
      }
      JsonNode stat = q.path("MetricStat");
      JsonNode metric = stat.path("Metric");
      if (stat.isMissingNode() || metric.isMissingNode()) {
        throw missing("MetricDataQueries." + id + ".MetricStat");
      }
      if (!Params.bool(q, "ReturnData", true)) {
        continue;
      }
      String metricName = required(metric, "MetricName");
      int period =
          period(
              Params.integer(stat, "Period", "InvalidParameterValueException")
                  .or(() -> Params.integer(q, "Period", "InvalidParameterValueException")));
      Statistic statistic = statistic(required(stat, "Stat"));
      Map<Long, List<Double>> buckets =
          buckets(
              required(metric, "Namespace"),
              metricName,
              Params.dimensions(metric.get("Dimensions")),
              stat,
              start,
              end,
              period);
      List<Long> seconds = new ArrayList<>(buckets.keySet());
      if (!ascending) {
        java.util.Collections.reverse(seconds);
      }
      List<Object> timestamps = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      for (long s : seconds) {
        timestamps.add(Instant.ofEpochSecond(s));
        values.add(statistic.apply(buckets.get(s)));
      }
      results.add(
          struct(
              "Id", id,
              "Label", Params.text(q, "Label").orElse(metricName),
              "Timestamps", timestamps,
              "Values", values,
              "StatusCode", "Complete"));
    }
    return struct("MetricDataResults", results, "Messages", List.of());
  }

  /**
   * The alarm's samples of the metric in [start, end), grouped into periods of {@code period}
   * seconds aligned to the epoch, by each period's start in epoch seconds; none for another metric,
   * or for a unit the metric is not in.
   */
  private Map<Long, List<Double>> buckets(
      String namespace,
      String metric,
      Map<String, String> dimensions,
      JsonNode unitFrom,
      Instant start,
      Instant end,
      int period) {
    AlarmSpec spec = chain.alarm().evaluator().spec();
    Map<Long, List<Double>> buckets = new TreeMap<>();
    boolean ours =
        spec.namespace().equals(namespace)
            && spec.metricName().equals(metric)
            && spec.dimensions().equals(dimensions)
            && Params.text(unitFrom, "Unit").map("Count"::equals).orElse(true);
    if (!ours) {
      return buckets;
    }
    for (Datapoint d : chain.alarm().samples()) {
      Instant at = d.timestamp();
      if (!at.isBefore(start) && at.isBefore(end)) {
        long bucket = Math.floorDiv(at.getEpochSecond(), period) * period;
        buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(d.value());
      }
    }
    return buckets;
  }

  private int period(Optional<Integer> period) {
    int p = period.orElseThrow(() -> missing("Period"));
    if (p < 1) {
      throw invalid("Period must be at least 1 second, was " + p);
    }
    return p;
  }

  private Statistic statistic(String name) {
    try {
      return Statistic.parse(name);
    } catch (IllegalArgumentException e) {
      throw invalid(
          "the statistic '"
              + name
              + "' is not served: use Sum, Average, Minimum, Maximum or"
              + " SampleCount");
    }
  }

  private static String required(JsonNode in, String name) {
    return Params.text(in, name).filter(s -> !s.isEmpty()).orElseThrow(() -> missing(name));
  }

  private static ApiException invalid(String message) {
    return new ApiException(
        "InvalidParameterValueException", message, 400, "InvalidParameterValue");
  }

  private static ApiException combination(String message) {
    return new ApiException(
        "InvalidParameterCombinationException", message, 400, "InvalidParameterCombination");
  }

  private static ApiException missing(String name) {
    return new ApiException(
        "MissingRequiredParameterException",
        "the parameter " + name + " is required",
        400,
        "MissingParameter");
  }
}
