package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.alarm.AlarmNotifications;
import dev.surge.core.alarm.AlarmSpec;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.alarm.AlarmTransition;
import dev.surge.core.alarm.ComparisonOperator;
import dev.surge.core.alarm.Datapoint;
import dev.surge.core.alarm.Statistic;
import dev.surge.core.alarm.TreatMissingData;
import dev.surge.local.alarm.LocalAlarm;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CloudWatch over the local alarms: the chain's backlog alarm and the alarms made with {@code
 * PutMetricAlarm}, as {@code DescribeAlarms} lists them; their history (their configurations and
 * every state change they kept); the samples they took of {@code AWS/SQS
 * ApproximateNumberOfMessagesVisible} as that metric's statistics; and the writes: {@code
 * SetAlarmState}, {@code PutMetricAlarm} (alarms on that metric of a queue of the SQS stand-in,
 * notifying the local topics) and {@code DeleteAlarms} (not of the chain's alarm, which its
 * function reads). The metric exists only as the alarms measured it: one sample per alarm period,
 * stamped with the period's start; any other metric has no datapoints, as in CloudWatch for a
 * metric nobody publishes.
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
        "DescribeAlarms",
        "DescribeAlarmHistory",
        "GetMetricStatistics",
        "GetMetricData",
        "SetAlarmState",
        "PutMetricAlarm",
        "DeleteAlarms");
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
      case "SetAlarmState" -> setAlarmState(in);
      case "PutMetricAlarm" -> putMetricAlarm(in);
      case "DeleteAlarms" -> deleteAlarms(in);
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
    int max = Params.integer(in, "MaxRecords", "InvalidParameterValueException").orElse(50);
    if (max < 1 || max > 100) {
      throw invalid("MaxRecords must be 1..100, was " + max);
    }
    int from = token(Params.text(in, "NextToken"));
    List<Object> listed = new ArrayList<>();
    if (types.isEmpty() || types.contains("MetricAlarm")) {
      for (LocalAlarm alarm : chain.alarms().all()) {
        String name = alarm.name();
        LocalAlarm.Settings s = alarm.settings();
        if ((names.isEmpty() || names.contains(name))
            && prefix.map(name::startsWith).orElse(true)
            && state.map(v -> v.equals(alarm.state().name())).orElse(true)
            && actionPrefix
                .map(
                    p ->
                        Arrays.stream(AlarmState.values())
                            .flatMap(st -> s.actions().of(st).stream())
                            .anyMatch(a -> a.startsWith(p)))
                .orElse(true)) {
          listed.add(alarm(alarm));
        }
      }
    }
    List<Object> page = listed.subList(Math.min(from, listed.size()), listed.size());
    boolean more = page.size() > max;
    return struct(
        "MetricAlarms",
        more ? List.copyOf(page.subList(0, max)) : List.copyOf(page),
        "CompositeAlarms",
        List.of(),
        "NextToken",
        more ? Optional.of(Integer.toString(from + max)) : Optional.empty());
  }

  private String state(String value) {
    try {
      return AlarmState.valueOf(value).name();
    } catch (IllegalArgumentException e) {
      throw invalid("StateValue must be OK, ALARM or INSUFFICIENT_DATA, was '" + value + "'");
    }
  }

  private Map<String, Object> alarm(LocalAlarm alarm) {
    AlarmSpec spec = alarm.spec();
    LocalAlarm.Settings s = alarm.settings();
    Optional<AlarmTransition> last = alarm.evaluator().lastTransition();
    Instant updated = last.map(AlarmTransition::at).orElse(alarm.createdAt());
    return struct(
        "AlarmName", spec.name(),
        "AlarmArn", chain.alarmArn(spec.name()),
        "AlarmDescription", Optional.of(s.description()).filter(d -> !d.isEmpty()),
        "AlarmConfigurationUpdatedTimestamp", alarm.configuredAt(),
        "ActionsEnabled", s.actionsEnabled(),
        "OKActions", s.actions().ok(),
        "AlarmActions", s.actions().alarm(),
        "InsufficientDataActions", s.actions().insufficientData(),
        "StateValue", alarm.state().name(),
        "StateReason", last.map(AlarmTransition::reason).orElse(INITIAL_REASON),
        "StateReasonData", last.map(AlarmTransition::reasonData).filter(d -> !d.isEmpty()),
        "StateUpdatedTimestamp", updated,
        "MetricName", spec.metricName(),
        "Namespace", spec.namespace(),
        "Statistic", spec.statistic().cloudWatchName(),
        "Dimensions", dimensions(spec.dimensions()),
        "Period", periodSeconds(spec),
        "Unit", s.unit(),
        "EvaluationPeriods", spec.evaluationPeriods(),
        "DatapointsToAlarm", spec.datapointsToAlarm(),
        "Threshold", spec.threshold(),
        "ComparisonOperator", spec.comparison().cloudWatchName(),
        "TreatMissingData", spec.treatMissingData().cloudWatchName(),
        "StateTransitionedTimestamp", updated);
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

  // --- writes ------------------------------------------------------------------------------------

  /**
   * {@code SetAlarmState}: the alarm moves to the state with the reason given, its history shows
   * the change, and its actions for the new state run (the chain's alarm in ALARM notifies its
   * topic, which invokes the function). Its next evaluation goes on from there.
   */
  private Map<String, Object> setAlarmState(JsonNode in) {
    String name = required(in, "AlarmName");
    String value = required(in, "StateValue");
    AlarmState state =
        Arrays.stream(AlarmState.values())
            .filter(s -> s.name().equals(value))
            .findFirst()
            .orElseThrow(
                () ->
                    validation(
                        "1 validation error detected: Value '"
                            + value
                            + "' at 'stateValue' failed to satisfy constraint: Member must satisfy"
                            + " enum value set: [INSUFFICIENT_DATA, ALARM, OK]"));
    String reason = Params.text(in, "StateReason").orElseThrow(() -> missing("StateReason"));
    if (reason.length() > 1023) {
      throw validation("StateReason must be at most 1023 characters, was " + reason.length());
    }
    Optional<String> data = Params.text(in, "StateReasonData");
    if (data.isPresent()) {
      if (data.get().length() > 4000) {
        throw validation(
            "StateReasonData must be at most 4000 characters, was " + data.get().length());
      }
      try {
        JSON.readTree(data.get());
      } catch (IOException e) {
        throw new ApiException(
            "InvalidFormatFault",
            "StateReasonData was not syntactically valid JSON",
            400,
            "InvalidFormat");
      }
    }
    LocalAlarm alarm = chain.alarms().find(name).orElseThrow(() -> notFound(name));
    alarm.setState(state, reason, data.orElse(""));
    return Wire.NO_OUTPUT;
  }

  /**
   * {@code PutMetricAlarm}: makes an alarm, or replaces the whole definition of the one of that
   * name (its state is kept, as in CloudWatch). The local alarms watch {@code AWS/SQS
   * ApproximateNumberOfMessagesVisible} of one queue ({@code QueueName}) and notify local topics;
   * the chain's alarm keeps watching the chain's queue.
   */
  private Map<String, Object> putMetricAlarm(JsonNode in) {
    String name = required(in, "AlarmName");
    if (name.length() > 255) {
      throw validation("AlarmName must be at most 255 characters");
    }
    if (!Params.list(in, "Metrics").isEmpty()) {
      throw invalid(
          "alarms on metric math or on several metrics (Metrics) are not served by the local"
              + " cloud: give Namespace, MetricName, Dimensions and Statistic");
    }
    for (String[] unserved :
        new String[][] {
          {"ThresholdMetricId", "anomaly detection alarms (ThresholdMetricId)"},
          {"ExtendedStatistic", "percentile statistics (ExtendedStatistic)"},
          {"EvaluationCriteria", "PromQL alarms (EvaluationCriteria)"}
        }) {
      if (in.hasNonNull(unserved[0])) {
        throw invalid(unserved[1] + " are not served by the local cloud");
      }
    }
    String namespace = required(in, "Namespace");
    String metricName = required(in, "MetricName");
    Map<String, String> dimensions = Params.dimensions(in.get("Dimensions"));
    String queue = dimensions.get(AlarmSpec.QUEUE_NAME_DIMENSION);
    if (!namespace.equals(AlarmSpec.SQS_NAMESPACE)
        || !metricName.equals(AlarmSpec.VISIBLE_MESSAGES_METRIC)
        || dimensions.size() != 1
        || queue == null
        || queue.isEmpty()) {
      throw invalid(
          "the local cloud's alarms watch "
              + AlarmSpec.SQS_NAMESPACE
              + " "
              + AlarmSpec.VISIBLE_MESSAGES_METRIC
              + " of one queue (one dimension, "
              + AlarmSpec.QUEUE_NAME_DIMENSION
              + "), the metric its SQS publishes; "
              + namespace
              + " "
              + metricName
              + " "
              + dimensions
              + " is not served");
    }
    String chainAlarm = chain.alarm().name();
    if (name.equals(chainAlarm) && !queue.equals(chain.names().queue())) {
      throw invalid(
          "the local cloud's chain alarm "
              + chainAlarm
              + " watches the queue "
              + chain.names().queue()
              + ", which its function drains: PutMetricAlarm may change its statistic, period,"
              + " threshold, evaluation and actions, not its queue (make another alarm for '"
              + queue
              + "')");
    }
    Statistic statistic = named(Statistic.values(), Statistic::cloudWatchName, "Statistic", in);
    int period =
        Params.integer(in, "Period", "InvalidParameterValueException")
            .orElseThrow(() -> missing("Period"));
    if (period < 1) {
      throw validation("Period must be at least 1 second, was " + period);
    }
    int evaluationPeriods =
        Params.integer(in, "EvaluationPeriods", "InvalidParameterValueException")
            .orElseThrow(() -> missing("EvaluationPeriods"));
    if (evaluationPeriods < 1) {
      throw validation("EvaluationPeriods must be at least 1, was " + evaluationPeriods);
    }
    int datapoints =
        Params.integer(in, "DatapointsToAlarm", "InvalidParameterValueException")
            .orElse(evaluationPeriods);
    if (datapoints < 1 || datapoints > evaluationPeriods) {
      throw validation(
          "DatapointsToAlarm must be 1.."
              + evaluationPeriods
              + " (EvaluationPeriods), was "
              + datapoints);
    }
    double threshold = number(in, "Threshold");
    ComparisonOperator comparison =
        named(
            ComparisonOperator.values(),
            ComparisonOperator::cloudWatchName,
            "ComparisonOperator",
            in);
    TreatMissingData missing =
        Params.text(in, "TreatMissingData").isPresent()
            ? named(
                TreatMissingData.values(), TreatMissingData::cloudWatchName, "TreatMissingData", in)
            : TreatMissingData.MISSING;
    Optional<String> unit = Params.text(in, "Unit");
    if (unit.isPresent() && !unit.get().equals("Count")) {
      throw invalid(
          AlarmSpec.VISIBLE_MESSAGES_METRIC
              + " is in Count: an alarm on it in "
              + unit.get()
              + " would never have data");
    }
    String description = Params.text(in, "AlarmDescription").orElse("");
    if (description.length() > 1024) {
      throw validation("AlarmDescription must be at most 1024 characters");
    }
    AlarmNotifications.Actions actions =
        new AlarmNotifications.Actions(
            actions(in, "OKActions"),
            actions(in, "AlarmActions"),
            actions(in, "InsufficientDataActions"));
    AlarmSpec spec =
        new AlarmSpec(
            name,
            metricName,
            namespace,
            dimensions,
            statistic,
            Duration.ofSeconds(period),
            comparison,
            threshold,
            evaluationPeriods,
            datapoints,
            missing);
    chain
        .alarms()
        .put(
            spec,
            new LocalAlarm.Settings(
                description, Params.bool(in, "ActionsEnabled", true), actions, unit));
    return Wire.NO_OUTPUT;
  }

  /** An alarm's actions: each must be a topic of the local cloud, at most 5. */
  private List<String> actions(JsonNode in, String name) {
    List<String> arns = Params.texts(in, name);
    if (arns.size() > 5) {
      throw validation(name + " may name at most 5 actions, was " + arns.size());
    }
    for (String arn : arns) {
      if (chain.topics().byArn(arn).isEmpty()) {
        throw invalid(
            "the local cloud's alarms notify its own SNS topics (the chain's "
                + chain.topic().arn()
                + ", or one made with CreateTopic): '"
                + arn
                + "' in "
                + name
                + " is not one of them");
      }
    }
    return arns;
  }

  /**
   * {@code DeleteAlarms}: the alarms named stop for good (their history stays). Names of no alarm
   * are left alone, as CloudWatch does; the chain's alarm is not deleted, since the chain's
   * function reads it: then nothing is deleted.
   */
  private Map<String, Object> deleteAlarms(JsonNode in) {
    List<String> names = Params.texts(in, "AlarmNames");
    if (names.isEmpty()) {
      throw missing("AlarmNames");
    }
    if (names.size() > 100) {
      throw validation("AlarmNames may name at most 100 alarms, was " + names.size());
    }
    String chainAlarm = chain.alarm().name();
    if (names.contains(chainAlarm)) {
      throw validation(
          "Cannot delete "
              + chainAlarm
              + ": it is the local chain's backlog alarm, whose state its function reads (stop"
              + " 'surge up' to remove the chain, or disable its notifications with"
              + " PutMetricAlarm --no-actions-enabled); no alarm was deleted");
    }
    chain.alarms().delete(names);
    return Wire.NO_OUTPUT;
  }

  private static <T> T named(
      T[] values, java.util.function.Function<T, String> name, String parameter, JsonNode in) {
    String given = required(in, parameter);
    return Arrays.stream(values)
        .filter(v -> name.apply(v).equals(given))
        .findFirst()
        .orElseThrow(
            () ->
                invalid(
                    parameter
                        + " must be one of "
                        + String.join(", ", Arrays.stream(values).map(name).toList())
                        + " (those the local cloud serves), was '"
                        + given
                        + "'"));
  }

  private static double number(JsonNode in, String name) {
    String text = required(in, name);
    try {
      double d = Double.parseDouble(text);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw invalid(name + " must be a number, was '" + text + "'");
  }

  // --- history -----------------------------------------------------------------------------------

  private Map<String, Object> history(JsonNode in) {
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
    if (types.isEmpty() || types.contains("MetricAlarm")) {
      for (LocalAlarm alarm : chain.alarms().withDeleted()) {
        if (wanted.map(alarm.name()::equals).orElse(true)) {
          items.addAll(items(alarm));
        }
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

  /** An alarm's history items: its configurations and its state changes. */
  private List<Map<String, Object>> items(LocalAlarm alarm) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (LocalAlarm.Configuration c : alarm.configurations()) {
      items.add(configured(c));
    }
    String reason = INITIAL_REASON;
    for (AlarmTransition t : alarm.history()) {
      items.add(stateUpdate(t, reason));
      reason = t.reason();
    }
    return items;
  }

  private static int token(Optional<String> token) {
    try {
      return token.map(Integer::parseInt).orElse(0);
    } catch (NumberFormatException e) {
      throw new ApiException(
          "InvalidNextToken", "the NextToken is not one this endpoint gave", 400);
    }
  }

  /** A {@code ConfigurationUpdate} item: the alarm made, updated or deleted, as CloudWatch's. */
  private Map<String, Object> configured(LocalAlarm.Configuration c) {
    AlarmSpec spec = c.spec();
    ObjectNode data = JSON.createObjectNode();
    data.put("version", "1.0");
    data.put("type", c.type());
    String verb =
        switch (c.type()) {
          case "Create" -> "created";
          case "Update" -> "updated";
          default -> "deleted";
        };
    ObjectNode alarm = data.putObject(verb + "Alarm");
    alarm.put("alarmName", spec.name());
    alarm.put("namespace", spec.namespace());
    alarm.put("metricName", spec.metricName());
    ObjectNode dims = JSON.createObjectNode();
    spec.dimensions().forEach(dims::put);
    alarm.set("dimensions", dims);
    alarm.put("statistic", spec.statistic().cloudWatchName());
    alarm.put("period", periodSeconds(spec));
    alarm.put("evaluationPeriods", spec.evaluationPeriods());
    alarm.put("datapointsToAlarm", spec.datapointsToAlarm());
    alarm.put("threshold", spec.threshold());
    alarm.put("comparisonOperator", spec.comparison().cloudWatchName());
    alarm.put("treatMissingData", spec.treatMissingData().cloudWatchName());
    alarm.put("actionsEnabled", c.settings().actionsEnabled());
    c.settings().actions().ok().forEach(alarm.withArray("okActions")::add);
    c.settings().actions().alarm().forEach(alarm.withArray("alarmActions")::add);
    c.settings()
        .actions()
        .insufficientData()
        .forEach(alarm.withArray("insufficientDataActions")::add);
    return item(
        spec.name(),
        c.at(),
        "ConfigurationUpdate",
        "Alarm \"" + spec.name() + "\" " + verb,
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
    if (!t.reasonData().isEmpty()) {
      try {
        now.set("stateReasonData", JSON.readTree(t.reasonData()));
      } catch (IOException e) {
        now.put("stateReasonData", t.reasonData());
      }
    }
    return item(
        t.alarmName(),
        t.at(),
        "StateUpdate",
        "Alarm updated from " + t.from().name() + " to " + t.to().name(),
        data.toString());
  }

  private static Map<String, Object> item(
      String alarm, Instant at, String type, String summary, String data) {
    return struct(
        "AlarmName", alarm,
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
   * The samples an alarm took of the metric in [start, end) (the chain's alarm first, then the
   * others by name: the first that watches it), grouped into periods of {@code period} seconds
   * aligned to the epoch, by each period's start in epoch seconds; none for a metric no alarm
   * watches, or for a unit the metric is not in.
   */
  private Map<Long, List<Double>> buckets(
      String namespace,
      String metric,
      Map<String, String> dimensions,
      JsonNode unitFrom,
      Instant start,
      Instant end,
      int period) {
    Map<Long, List<Double>> buckets = new TreeMap<>();
    if (!Params.text(unitFrom, "Unit").map("Count"::equals).orElse(true)) {
      return buckets;
    }
    List<LocalAlarm> alarms = new ArrayList<>();
    alarms.add(chain.alarm());
    alarms.addAll(chain.alarms().all());
    Optional<LocalAlarm> watching =
        alarms.stream()
            .filter(
                a ->
                    a.spec().namespace().equals(namespace)
                        && a.spec().metricName().equals(metric)
                        && a.spec().dimensions().equals(dimensions))
            .findFirst();
    if (watching.isEmpty()) {
      return buckets;
    }
    for (Datapoint d : watching.get().samples()) {
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

  /** CloudWatch's answer to a request its model's constraints refuse. */
  private static ApiException validation(String message) {
    return new ApiException("ValidationError", message, 400);
  }

  private static ApiException notFound(String alarm) {
    return new ApiException("ResourceNotFound", "Alarm " + alarm + " not found", 404);
  }
}
