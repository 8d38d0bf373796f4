package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.local.logs.LogLine;
import dev.surge.local.tasks.ContainerSpec;
import dev.surge.local.tasks.TaskDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs over what the chain already writes: the tasks' log group ({@code /ecs/<family>},
 * one stream per task, {@code worker/<container>/<task id>}, read from the file the launcher writes
 * each task's output to, each line stamped with when the launcher wrote it) and the function's
 * ({@code /aws/lambda/<name>}, one stream: its invocations' START, END and REPORT lines and its
 * decisions). {@code FilterLogEvents} understands term patterns only (words and quoted phrases that
 * must all appear).
 */
final class LogsApi implements Service {
  private static final Pattern TERM = Pattern.compile("\"([^\"]*)\"|(\\S+)");
  private static final int MAX_EVENTS = 10_000;

  private final LocalChain chain;

  LogsApi(LocalChain chain) {
    this.chain = chain;
  }

  private record Stream(String name, Instant created, Supplier<List<LogLine>> lines) {}

  private record Group(String name, Instant created, Supplier<List<Stream>> streams) {}

  @Override
  public String signingName() {
    return "logs";
  }

  @Override
  public String title() {
    return "CloudWatch Logs";
  }

  @Override
  public List<String> operations() {
    return List.of("DescribeLogGroups", "DescribeLogStreams", "GetLogEvents", "FilterLogEvents");
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    return switch (request.operation()) {
      case "DescribeLogGroups" -> describeGroups(in);
      case "DescribeLogStreams" -> describeStreams(in);
      case "GetLogEvents" -> getEvents(in);
      case "FilterLogEvents" -> filterEvents(in);
      default -> throw new IllegalStateException(request.operation());
    };
  }

  private List<Group> groups() {
    List<Group> groups = new ArrayList<>();
    groups.add(
        new Group(
            chain.taskLogGroup(), chain.createdAt(), () -> taskStreams(chain.taskLogGroup())));
    // The log groups the tasks of the user's definitions log to, as their awslogs driver would.
    Map<String, Instant> others = new LinkedHashMap<>();
    for (TaskDetails t : chain.launcher().details()) {
      t.definition()
          .container()
          .logGroup()
          .filter(g -> !g.equals(chain.taskLogGroup()))
          .ifPresent(g -> others.putIfAbsent(g, t.view().startedAt()));
    }
    groups.add(
        new Group(
            chain.functionLogGroup(),
            chain.createdAt(),
            () ->
                List.of(
                    new Stream(
                        chain.function().logStream(), chain.createdAt(), chain.function()::log))));
    others.forEach((g, created) -> groups.add(new Group(g, created, () -> taskStreams(g))));
    return groups;
  }

  /** The streams of the tasks whose container logs to {@code group}, one per task. */
  private List<Stream> taskStreams(String group) {
    List<Stream> streams = new ArrayList<>();
    for (TaskDetails t : chain.launcher().details()) {
      ContainerSpec c = t.definition().container();
      if (c.logGroup().filter(group::equals).isEmpty()) {
        continue;
      }
      String id = t.taskId();
      streams.add(
          new Stream(c.logStream(id), t.view().startedAt(), () -> chain.launcher().log(id)));
    }
    return streams;
  }

  private String groupArn(String name) {
    return chain.arn("logs", "log-group:" + name);
  }

  /** The group {@code logGroupName} or {@code logGroupIdentifier} (a name or an ARN) names. */
  private Group group(JsonNode in) {
    Optional<String> name = Params.text(in, "logGroupName");
    Optional<String> id = Params.text(in, "logGroupIdentifier");
    if (name.isPresent() == id.isPresent()) {
      throw invalid("exactly one of logGroupName and logGroupIdentifier must be given");
    }
    String ref = name.or(() -> id).get();
    String wanted =
        ref.startsWith("arn:")
            ? ref.replaceFirst("^arn:[^:]*:logs:[^:]*:[^:]*:log-group:", "")
                .replaceFirst(":\\*$", "")
            : ref;
    return groups().stream()
        .filter(g -> g.name().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    "ResourceNotFoundException", "The specified log group does not exist.", 400));
  }

  private Map<String, Object> describeGroups(JsonNode in) {
    Optional<String> prefix = Params.text(in, "logGroupNamePrefix");
    Optional<String> pattern =
        Params.text(in, "logGroupNamePattern").map(p -> p.toLowerCase(Locale.ROOT));
    List<String> ids = Params.texts(in, "logGroupIdentifiers");
    List<Object> out = new ArrayList<>();
    for (Group g : groups()) {
      if (prefix.map(g.name()::startsWith).orElse(true)
          && pattern.map(p -> g.name().toLowerCase(Locale.ROOT).contains(p)).orElse(true)
          && (ids.isEmpty() || ids.contains(g.name()) || ids.contains(groupArn(g.name())))) {
        out.add(
            struct(
                "logGroupName",
                g.name(),
                "creationTime",
                g.created().toEpochMilli(),
                "metricFilterCount",
                0,
                "arn",
                groupArn(g.name()) + ":*",
                "storedBytes",
                0L,
                "logGroupClass",
                "STANDARD",
                "logGroupArn",
                groupArn(g.name())));
      }
    }
    return page(in, "logGroups", out, 50);
  }

  private Map<String, Object> describeStreams(JsonNode in) {
    Group g = group(in);
    Optional<String> prefix = Params.text(in, "logStreamNamePrefix");
    boolean byTime = Params.text(in, "orderBy").orElse("LogStreamName").equals("LastEventTime");
    if (byTime && prefix.isPresent()) {
      throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    List<Map<String, Object>> streams = new ArrayList<>();
    for (Stream s : g.streams().get()) {
      if (!prefix.map(s.name()::startsWith).orElse(true)) {
        continue;
      }
      List<LogLine> lines = s.lines().get();
      Optional<Long> first =
          lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).at().toEpochMilli());
      Optional<Long> last =
          lines.isEmpty()
              ? Optional.empty()
              : Optional.of(lines.get(lines.size() - 1).at().toEpochMilli());
      streams.add(
          struct(
              "logStreamName",
              s.name(),
              "creationTime",
              s.created().toEpochMilli(),
              "firstEventTimestamp",
              first,
              "lastEventTimestamp",
              last,
              "lastIngestionTime",
              last,
              "arn",
              groupArn(g.name()) + ":log-stream:" + s.name(),
              "storedBytes",
              0L,
              // Ignored by PutLogEvents now, still part of the stream's description: one more
              // with each line written.
              "uploadSequenceToken",
              Long.toString(lines.size() + 1)));
    }
    Comparator<Map<String, Object>> order =
        byTime
            ? Comparator.comparing(
                m -> (Long) m.getOrDefault("lastEventTimestamp", m.get("creationTime")))
            : Comparator.comparing(m -> (String) m.get("logStreamName"));
    streams.sort(Params.bool(in, "descending", false) ? order.reversed() : order);
    return page(in, "logStreams", new ArrayList<>(streams), 50);
  }

  private Stream stream(Group g, String name) {
    return g.streams().get().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    "ResourceNotFoundException", "The specified log stream does not exist.", 400));
  }

  private Map<String, Object> getEvents(JsonNode in) {
    Group g = group(in);
    Stream s = stream(g, Params.required(in, "logStreamName", "InvalidParameterException"));
    List<LogLine> lines = within(in, s.lines().get());
    int limit = limit(in);
    int n = lines.size();
    Optional<String> token = Params.text(in, "nextToken");
    int from;
    int to;
    if (token.isPresent()) {
      int at = tokenIndex(token.get().substring(Math.min(2, token.get().length())), n);
      if (token.get().startsWith("f/")) {
        from = at;
        to = Math.min(n, from + limit);
      } else if (token.get().startsWith("b/")) {
        to = at;
        from = Math.max(0, to - limit);
      } else {
        throw invalid("The specified nextToken is invalid.");
      }
    } else if (Params.bool(in, "startFromHead", false)) {
      from = 0;
      to = Math.min(n, limit);
    } else {
      to = n;
      from = Math.max(0, n - limit);
    }
    List<Object> events = new ArrayList<>();
    for (LogLine l : lines.subList(from, to)) {
      long t = l.at().toEpochMilli();
      events.add(struct("timestamp", t, "message", l.message(), "ingestionTime", t));
    }
    return struct(
        "events", events, "nextForwardToken", "f/" + to, "nextBackwardToken", "b/" + from);
  }

  private Map<String, Object> filterEvents(JsonNode in) {
    Group g = group(in);
    List<String> names = Params.texts(in, "logStreamNames");
    Optional<String> prefix = Params.text(in, "logStreamNamePrefix");
    if (!names.isEmpty() && prefix.isPresent()) {
      throw invalid("logStreamNames and logStreamNamePrefix cannot be used together");
    }
    List<String> terms = terms(Params.text(in, "filterPattern").orElse(""));
    record Hit(String stream, int line, LogLine event) {}
    List<Hit> hits = new ArrayList<>();
    List<Object> searched = new ArrayList<>();
    for (Stream s : g.streams().get()) {
      if ((!names.isEmpty() && !names.contains(s.name()))
          || !prefix.map(s.name()::startsWith).orElse(true)) {
        continue;
      }
      searched.add(struct("logStreamName", s.name(), "searchedCompletely", true));
      List<LogLine> lines = within(in, s.lines().get());
      for (int i = 0; i < lines.size(); i++) {
        LogLine l = lines.get(i);
        if (terms.stream().allMatch(l.message()::contains)) {
          hits.add(new Hit(s.name(), i, l));
        }
      }
    }
    hits.sort(Comparator.comparing((Hit h) -> h.event().at()));
    int from = Params.text(in, "nextToken").map(t -> tokenIndex(t, hits.size())).orElse(0);
    int to = Math.min(hits.size(), from + limit(in));
    List<Object> events = new ArrayList<>();
    for (Hit h : hits.subList(Math.min(from, to), to)) {
      long t = h.event().at().toEpochMilli();
      events.add(
          struct(
              "logStreamName",
              h.stream(),
              "timestamp",
              t,
              "message",
              h.event().message(),
              "ingestionTime",
              t,
              "eventId",
              h.stream().hashCode() + "-" + h.line()));
    }
    return struct(
        "events",
        events,
        "searchedLogStreams",
        searched,
        "nextToken",
        to < hits.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
  }

  /** The words and quoted phrases of a term pattern, all of which must appear. */
  static List<String> terms(String pattern) {
    String p = pattern.strip();
    if (p.startsWith("{") || p.startsWith("[") || p.startsWith("%")) {
      throw invalid(
          "only term patterns (words and quoted phrases) are served by the local cloud, not JSON,"
              + " space-delimited or regular-expression patterns");
    }
    List<String> terms = new ArrayList<>();
    Matcher m = TERM.matcher(p);
    while (m.find()) {
      String term = m.group(1) != null ? m.group(1) : m.group(2);
      if (term.startsWith("?") || term.startsWith("-")) {
        throw invalid("'?' and '-' terms are not served by the local cloud: '" + term + "'");
      }
      if (!term.isEmpty()) {
        terms.add(term);
      }
    }
    return terms;
  }

  /** The lines at or after {@code startTime} and before {@code endTime} (epoch milliseconds). */
  private static List<LogLine> within(JsonNode in, List<LogLine> lines) {
    Optional<Long> start = Params.longValue(in, "startTime", "InvalidParameterException");
    Optional<Long> end = Params.longValue(in, "endTime", "InvalidParameterException");
    if (start.isEmpty() && end.isEmpty()) {
      return lines;
    }
    return lines.stream()
        .filter(l -> start.map(s -> l.at().toEpochMilli() >= s).orElse(true))
        .filter(l -> end.map(e -> l.at().toEpochMilli() < e).orElse(true))
        .toList();
  }

  private static int limit(JsonNode in) {
    int limit = Params.integer(in, "limit", "InvalidParameterException").orElse(MAX_EVENTS);
    if (limit < 1 || limit > MAX_EVENTS) {
      throw invalid("limit must be 1.." + MAX_EVENTS + ", was " + limit);
    }
    return limit;
  }

  private static int tokenIndex(String token, int size) {
    try {
      int i = Integer.parseInt(token);
      if (i < 0) {
        throw new NumberFormatException(token);
      }
      return Math.min(i, size);
    } catch (NumberFormatException e) {
      throw invalid("The specified nextToken is invalid.");
    }
  }

  /** One page of {@code items} as {@code key}, at most {@code limit} (1..max) from nextToken. */
  private static Map<String, Object> page(JsonNode in, String key, List<Object> items, int max) {
    int limit = Params.integer(in, "limit", "InvalidParameterException").orElse(max);
    if (limit < 1 || limit > max) {
      throw invalid("limit must be 1.." + max + ", was " + limit);
    }
    int from = Params.text(in, "nextToken").map(t -> tokenIndex(t, items.size())).orElse(0);
    int to = Math.min(items.size(), from + limit);
    return struct(
        key,
        List.copyOf(items.subList(from, to)),
        "nextToken",
        to < items.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
  }

  private static ApiException invalid(String message) {
    return new ApiException("InvalidParameterException", message, 400);
  }
}
