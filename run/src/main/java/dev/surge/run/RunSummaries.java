package dev.surge.run;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.cost.AwsBill;
import dev.surge.core.cost.AwsPrices;
import dev.surge.core.cost.RunUsage;
import dev.surge.core.cost.TaskSize;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.WriteRate;
import dev.surge.core.port.TaskView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Computes and prints the end-of-run figures of {@code surge demo} from the table and events. */
public final class RunSummaries {
  private RunSummaries() {}

  /**
   * Reads every item (host, receive count, processing time) and combines it with the run's events.
   *
   * @param produced messages the producer sent
   * @param firstSent when the first message was sent
   * @param deadLetters messages in the dead-letter queue at the end
   * @param leftInQueue messages still in the queue (visible or in flight) at the end: 0 for a run
   *     that drained it
   * @param purged messages a purge of the queue removed before any task received them
   * @param tasksLaunched the tasks started in all, by the host name they write into items: each is
   *     listed with its items, those that wrote nothing with 0
   * @param reportedWritten messages the tasks reported writing and then deleting (0 where tasks do
   *     not report to this process, as in AWS)
   * @param workerRequests API requests the workers sent (from their summaries); negative when
   *     unknown (in AWS the workers report them only in their logs)
   * @param drained when the queue was empty and every task stopped
   * @param onlySentSince count only items of messages sent since then (a deployed table keeps the
   *     items of earlier runs) and only the alarm's transitions since then (in {@code surge up} the
   *     alarm went to ALARM for earlier bursts too); empty = every item and transition
   * @param usage what the run used of AWS's billed resources, for its bill; empty = not known
   */
  public static PipelineEvent.RunSummary compute(
      DynamoDbClient dynamodb,
      String table,
      long produced,
      Instant firstSent,
      long deadLetters,
      long leftInQueue,
      long purged,
      List<String> tasksLaunched,
      long reportedWritten,
      long workerRequests,
      Instant drained,
      Optional<Instant> onlySentSince,
      Optional<RunUsage> usage,
      EventLog events) {
    Map<String, Long> perHost = new TreeMap<>();
    tasksLaunched.forEach(host -> perHost.put(host, 0L));
    long inTable = 0;
    long redelivered = 0;
    Instant firstItem = null;
    Instant lastItem = null;
    WriteRate.Builder rate = new WriteRate.Builder();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r =
          dynamodb.scan(
              b ->
                  b.tableName(table)
                      .projectionExpression("#h, #r, #p, #s")
                      .expressionAttributeNames(
                          Map.of(
                              "#h", ItemSchema.HOST,
                              "#r", ItemSchema.RECEIVE_COUNT,
                              "#p", ItemSchema.PROCESSED_AT,
                              "#s", ItemSchema.SENT_AT))
                      .exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : r.items()) {
        Optional<Instant> sentAt = value(item, ItemSchema.SENT_AT).map(Instant::parse);
        if (onlySentSince.isPresent()
            && sentAt.isPresent()
            && sentAt.get().isBefore(onlySentSince.get())) {
          continue; // an earlier run's item
        }
        inTable++;
        perHost.merge(value(item, ItemSchema.HOST).orElse("?"), 1L, Long::sum);
        if (value(item, ItemSchema.RECEIVE_COUNT).map(Long::parseLong).orElse(1L) > 1) {
          redelivered++;
        }
        Optional<Instant> at = value(item, ItemSchema.PROCESSED_AT).map(Instant::parse);
        if (at.isPresent()) {
          rate.add(at.get());
          firstItem = firstItem == null || at.get().isBefore(firstItem) ? at.get() : firstItem;
          lastItem = lastItem == null || at.get().isAfter(lastItem) ? at.get() : lastItem;
        }
      }
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);

    Optional<Instant> alarmAt =
        events.events().stream()
            .map(EventLog.Sequenced::event)
            .filter(e -> e instanceof PipelineEvent.AlarmChanged a && a.to() == AlarmState.ALARM)
            .map(PipelineEvent::at)
            .filter(at -> onlySentSince.map(since -> !at.isBefore(since)).orElse(true))
            .findFirst();
    // Messages, not items: two messages with the same body are written as one item, and the
    // workers' own counts say so. A task that never reported (killed before its summary; a worker
    // this process did not start) leaves its share out of them: each item in the table is then at
    // least one message written.
    long written = Math.max(reportedWritten, inTable);
    long timeToAlarm = alarmAt.map(a -> millis(firstSent, a)).orElse(-1L);
    Instant first = firstItem;
    long alarmToFirstItem =
        alarmAt.isPresent() && first != null ? millis(alarmAt.get(), first) : -1;
    double itemsPerSecond =
        first == null
            ? Double.NaN
            : PipelineEvent.RunSummary.itemsPerSecond(inTable, first, lastItem);
    return new PipelineEvent.RunSummary(
        produced,
        inTable,
        written,
        deadLetters,
        leftInQueue,
        purged,
        redelivered,
        tasksLaunched.size(),
        perHost,
        timeToAlarm,
        alarmToFirstItem,
        millis(firstSent, drained),
        itemsPerSecond,
        workerRequests < 0 || produced == 0
            ? -1
            : Math.round(workerRequests * 1000.0 / produced) / 1000.0,
        rate.build(),
        usage
            .map(
                u ->
                    AwsBill.of(
                        u.over(millis(firstSent, drained) / 1000.0),
                        TaskSize.WORKER,
                        AwsPrices.US_EAST_1))
            .orElse(AwsBill.UNKNOWN));
  }

  /** The host names {@code tasks} write into items, in launch order. */
  public static List<String> hosts(List<TaskView> tasks) {
    return tasks.stream().map(TaskView::host).toList();
  }

  /** Prints the summary as the terminal shows it. */
  public static void print(PrintWriter out, PipelineEvent.RunSummary s) {
    print(out, s, false);
  }

  /**
   * Prints the summary; {@code stopped}: of a run stopped before its end, whose messages left in
   * the queue were not lost by the chain but not worked through either.
   */
  public static void print(PrintWriter out, PipelineEvent.RunSummary s, boolean stopped) {
    out.printf(Locale.ROOT, "%nSummary%n");
    out.printf(Locale.ROOT, "  produced                  %8d%n", s.produced());
    out.printf(Locale.ROOT, "  in table                  %8d%n", s.inTable());
    if (s.written() != s.inTable()) {
      out.printf(
          Locale.ROOT,
          "  messages written          %8d   (messages with the same body are one item: the body"
              + " is the table's key)%n",
          s.written());
    }
    out.printf(Locale.ROOT, "  in dead-letter queue      %8d%n", s.inDeadLetterQueue());
    if (stopped || s.leftInQueue() != 0) {
      out.printf(
          Locale.ROOT,
          "  left in the queue         %8d   (not worked through%s)%n",
          s.leftInQueue(),
          stopped ? ": the run was stopped" : "");
    }
    if (s.purged() != 0) {
      out.printf(
          Locale.ROOT,
          "  purged                    %8d   (removed from the queue by a purge before any task"
              + " received them)%n",
          s.purged());
    }
    long unaccounted = s.unaccounted();
    out.printf(
        Locale.ROOT,
        "  unaccounted               %8d   %s%n",
        unaccounted,
        unaccounted == 0 ? "(every message accounted for)" : "<-- MESSAGES LOST");
    out.printf(Locale.ROOT, "  redelivered (received >1) %8d%n", s.redelivered());
    out.printf(Locale.ROOT, "  tasks launched            %8d%n", s.tasksLaunched());
    new TreeMap<>(s.itemsPerHost())
        .forEach((h, n) -> out.printf(Locale.ROOT, "    %-22s %8d items%n", h, n));
    long unnamed = s.tasksLaunched() - s.itemsPerHost().size();
    if (unnamed > 0 && !s.itemsPerHost().isEmpty()) {
      // tasks whose names are not known (a summary made without them) and that wrote nothing
      out.printf(
          Locale.ROOT,
          "    %-22s %8d items%n",
          unnamed == 1 ? "1 more task" : unnamed + " more tasks",
          0);
    }
    out.printf(
        Locale.ROOT,
        "  time to alarm             %8s   first send to ALARM (up to a period of sampling,"
            + " then the evaluation)%n",
        seconds(s.timeToAlarmMillis()));
    out.printf(
        Locale.ROOT,
        "  alarm -> first item       %8s   ALARM to the first item written (function, task"
            + " start)%n",
        seconds(s.alarmToFirstItemMillis()));
    if (stopped) {
      // the queue was never drained: the time is the run's, up to the stop
      out.printf(
          Locale.ROOT,
          "  run time                  %8s   first send to the stop (the queue was not drained)%n",
          seconds(s.drainMillis()));
    } else {
      out.printf(
          Locale.ROOT,
          "  drain time                %8s   first send to an empty queue with every task"
              + " stopped%n",
          seconds(s.drainMillis()));
    }
    if (!Double.isNaN(s.itemsPerSecond())) {
      out.printf(
          Locale.ROOT,
          "  throughput                %8.1f   items/s, first to last item written%n",
          s.itemsPerSecond());
    } else {
      out.printf(
          Locale.ROOT,
          "  throughput                %8s   items/s, first to last item written (under %d s apart,"
              + " or one item: not measured)%n",
          "n/a",
          PipelineEvent.RunSummary.MIN_RATE_SPAN.toSeconds());
    }
    out.printf(
        Locale.ROOT,
        "  API requests per message  %8s   the workers' requests / messages produced%n",
        s.requestsPerMessage() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.3f", s.requestsPerMessage()));
    printBill(out, s.bill(), s.produced());
  }

  /** The run's bill on AWS, line by line, if it is known. */
  static void printBill(PrintWriter out, AwsBill bill, long produced) {
    if (!bill.known()) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "%nOn AWS this run would have cost %s%s (%s list prices of %s, no free tier):%n",
        dollars(bill.totalUsd()),
        produced > 0
            ? String.format(
                Locale.ROOT, ", %s per 1,000 messages", dollars(bill.totalUsd() * 1000 / produced))
            : "",
        bill.region(),
        bill.pricesAsOf());
    for (AwsBill.Line line : bill.lines()) {
      out.printf(
          Locale.ROOT, "  %-17s %11s   %s%n", line.service(), dollars(line.usd()), line.usage());
    }
  }

  /** Dollars to a millionth: a demo's bill is a fraction of a cent. */
  static String dollars(double usd) {
    return String.format(Locale.ROOT, "$%.6f", usd);
  }

  private static String seconds(long millis) {
    return millis < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static long millis(Instant a, Instant b) {
    return Math.max(0, Duration.between(a, b).toMillis());
  }

  private static Optional<String> value(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(v.s() != null ? v.s() : v.n());
  }
}
