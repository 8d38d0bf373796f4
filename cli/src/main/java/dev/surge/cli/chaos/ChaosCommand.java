package dev.surge.cli.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.cli.LogFolder;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.item.ItemSchema;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskView;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.producer.ProduceResult;
import dev.surge.producer.Producer;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.ThrottlingProxy;
import dev.surge.table.ItemCount;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@code surge chaos}: the local chain on many messages while faults are injected on a schedule
 * ({@link FaultSchedule}), and every message accounted for at the end.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole local chain (queue, alarm, topic, function, reconciler, worker processes,"
          + " table) on --messages messages, 1%% of them poison (keys DynamoDB refuses), while"
          + " injecting faults as the drain passes 10, 20, 35, 50 and 65%%: SIGKILL of two workers,"
          + " SIGTERM of the whole fleet, SQS unreachable for 5 s, DynamoDB paused for 5 s"
          + " (SIGSTOP of dynalite), BatchWriteItem throttled for 10 s. The workers reach SQS and"
          + " DynamoDB through fault proxies; the accounting goes direct.",
      "Then count: every good message must be in the table, every poison message in the"
          + " dead-letter queue, and the fleet must never have exceeded --max-tasks. Exit 0 only"
          + " then, with every fault injected; 1 otherwise."
    })
public final class ChaosCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--messages",
      defaultValue = "100000",
      description = "Messages to produce, poison included (${DEFAULT-VALUE}).")
  long messages;

  @Option(
      names = "--poison-percent",
      defaultValue = "1",
      description = "Share of poison messages, percent (${DEFAULT-VALUE}).")
  double poisonPercent;

  @Option(
      names = "--max-tasks",
      defaultValue = "" + ScalingPolicy.Proportional.DEFAULT_MAX_TASKS,
      description = "At most this many tasks at once (${DEFAULT-VALUE}).")
  int maxTasks;

  @Option(
      names = "--visibility",
      defaultValue = "30",
      description =
          "Queue visibility timeout, seconds (${DEFAULT-VALUE}): how long a killed worker's"
              + " messages stay hidden.")
  int visibility;

  @Option(
      names = "--alarm-period",
      defaultValue = "5",
      description = "Alarm and reconcile period, seconds (${DEFAULT-VALUE}).")
  String alarmPeriod;

  @Option(
      names = "--timeout",
      defaultValue = "1200",
      description = "Give up after this many seconds (${DEFAULT-VALUE}).")
  long timeout;

  @Option(
      names = "--logs",
      description =
          "Keep the tasks' logs in this folder (default: a temporary folder, removed"
              + " after a passing run).")
  Path logs;

  @Option(names = "--json", description = "Print one JSON object with every figure.")
  boolean json;

  /** Called by the command factory. */
  public ChaosCommand(Map<String, String> env) {
    // the run starts its own stand-ins; the caller's endpoint variables do not apply
  }

  private static final String POISON_PREFIX = "poison-";
  private static final int POISON_BYTES = 3000; // over DynamoDB's 2048-byte partition key

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (messages < 100 || messages > 10_000_000) {
      throw new ConfigException("--messages must be 100..10000000, was " + messages);
    }
    if (poisonPercent < 0 || poisonPercent > 50) {
      throw new ConfigException("--poison-percent must be 0..50, was " + poisonPercent);
    }
    if (maxTasks < 2 || maxTasks > 100) {
      throw new ConfigException(
          "--max-tasks must be 2..100 (two workers are killed at once), was " + maxTasks);
    }
    if (visibility < 1 || visibility > 43200) {
      throw new ConfigException("--visibility must be 1..43200 seconds");
    }
    if (timeout < 10) {
      throw new ConfigException("--timeout must be >= 10 seconds");
    }
    Duration period =
        Env.parseSeconds(
            "--alarm-period", alarmPeriod, Duration.ofMillis(100), Duration.ofMinutes(5));
    long poison = Math.round(messages * poisonPercent / 100.0);
    long good = messages - poison;
    LogFolder folder = LogFolder.of(logs, "surge-chaos-");
    Path logDir = folder.path();
    LocalCloudOptions options =
        LocalCloudOptions.seed(0, 0, logDir)
            .withAlarmPeriod(period)
            .withPolicy(
                new ScalingPolicy.Proportional(
                    ScalingPolicy.Proportional.DEFAULT_MESSAGES_PER_TASK, maxTasks),
                maxTasks)
            .withQueue(
                new QueueOptions(
                    Duration.ofSeconds(visibility), QueueOptions.DEFAULT_MAX_RECEIVE_COUNT))
            // The monitor's COUNT scans would compete with the workers for dynalite.
            .withMonitorPeriod(Duration.ofSeconds(10));
    progress(
        out,
        "surge chaos: %d messages (%d poison), at most %d tasks, visibility %d s; task logs in %s",
        messages,
        poison,
        maxTasks,
        visibility,
        logDir);

    AtomicReference<FaultProxy> sqsProxy = new AtomicReference<>();
    AtomicReference<ThrottlingProxy> dynamoProxy = new AtomicReference<>();
    Report report = null;
    try {
      try (LocalCloud local =
          LocalCloud.start(
              options,
              new EventLog(10_000),
              Clock.systemUTC(),
              t -> {
                sqsProxy.set(FaultProxy.in(t.endpoint("SQS").orElseThrow()));
                dynamoProxy.set(ThrottlingProxy.in(t.endpoint("DYNAMODB").orElseThrow()));
                return AwsTarget.local(sqsProxy.get().endpoint(), dynamoProxy.get().endpoint());
              })) {
        report = run(local, options, good, poison, sqsProxy.get(), dynamoProxy.get(), out);
      }
    } finally {
      Optional.ofNullable(sqsProxy.get()).ifPresent(FaultProxy::close);
      Optional.ofNullable(dynamoProxy.get()).ifPresent(ThrottlingProxy::close);
      if (report == null) {
        // it ended early, on an error of its own: its logs (if any task ran) say why
        folder.finish(false, spec.commandLine().getErr(), "surge chaos");
      }
    }
    if (json) {
      out.println(report.toJson());
    } else {
      report.print(out);
    }
    out.flush();
    folder.finish(report.passed(), spec.commandLine().getErr(), "surge chaos");
    return report.passed() ? 0 : 1;
  }

  private Report run(
      LocalCloud local,
      LocalCloudOptions options,
      long good,
      long poison,
      FaultProxy sqsProxy,
      ThrottlingProxy dynamoProxy,
      PrintWriter out)
      throws InterruptedException {
    long t0 = System.nanoTime();
    SqsClient sqs = local.sqs();
    String queue = local.queues().url();
    SqsBacklogProbe backlog = new SqsBacklogProbe(sqs, queue);
    AtomicLong goodSent = new AtomicLong();
    AtomicLong poisonSent = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicReference<QueueDepth> depth = new AtomicReference<>(new QueueDepth(0, 0, 0));
    AtomicInteger maxSampled = new AtomicInteger();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    AtomicReference<ProduceResult> produced = new AtomicReference<>();

    Thread producer =
        new Thread(
            () -> {
              try {
                produced.set(
                    new Producer(sqs, queue, Backoff.standard())
                        .produce(
                            good,
                            4,
                            Optional.empty(),
                            new UniqueBodies(new SplittableRandom(new SecureRandom().nextLong())),
                            goodSent::addAndGet));
              } catch (RuntimeException e) {
                producerFailure.set(e);
              }
            },
            "chaos-producer");
    Thread poisoner =
        new Thread(
            () -> {
              try {
                // Spread evenly among the good messages.
                while (poisonSent.get() < poison) {
                  long due =
                      producer.isAlive()
                          ? (long) Math.ceil(poison * (goodSent.get() / (double) Math.max(1, good)))
                          : poison;
                  if (poisonSent.get() < due) {
                    int n = (int) Math.min(10, poison - poisonSent.get());
                    sendPoison(sqs, queue, poisonSent.get(), n);
                    poisonSent.addAndGet(n);
                  } else {
                    Thread.sleep(5);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                producerFailure.set(e);
              }
            },
            "chaos-poison");
    producer.setDaemon(true);
    poisoner.setDaemon(true);
    producer.start();
    poisoner.start();

    // The sampler: queue depth for progress, the live fleet for its largest size.
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                try {
                  depth.set(backlog.depth());
                } catch (RuntimeException e) {
                  // the next sample will do
                }
                maxSampled.accumulateAndGet(local.launcher().running(), Math::max);
                producing.set(producer.isAlive() || poisoner.isAlive());
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "chaos-sampler");
    sampler.setDaemon(true);
    sampler.start();

    long total = good + poison;
    // Worked through: sent and no longer in the queue (written and deleted, or dead-lettered).
    java.util.function.DoubleSupplier progress =
        () ->
            Math.max(0, goodSent.get() + poisonSent.get() - depth.get().backlog()) / (double) total;
    AtomicBoolean over = new AtomicBoolean();
    FaultSchedule schedule =
        new FaultSchedule(
            new FaultSchedule.Targets(
                local.launcher(), sqsProxy, dynamoProxy, local.standIns().dynalitePid()),
            t0,
            progress,
            over::get);
    Thread faults =
        new Thread(
            () -> {
              try {
                schedule.run(
                    f ->
                        progress(
                            out,
                            "  %6.1f s  %3.0f%% worked through  %s (%.1f s): %s",
                            f.atSeconds(),
                            f.progress() * 100,
                            f.name(),
                            f.seconds(),
                            f.detail()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "chaos-faults");
    faults.setDaemon(true);
    faults.start();

    long deadline = t0 + Duration.ofSeconds(timeout).toNanos();
    long lastLine = 0;
    boolean drained = false;
    while (System.nanoTime() < deadline) {
      QueueDepth d = depth.get();
      int running = local.launcher().running();
      boolean sentAll = !producing.get();
      if (sentAll && d.empty() && running == 0) {
        // Confirm with a fresh read: the sampler's may be 100 ms old.
        if (backlog.depth().empty() && local.launcher().running() == 0) {
          drained = true;
          break;
        }
      }
      if (System.nanoTime() - lastLine > 5_000_000_000L) {
        lastLine = System.nanoTime();
        progress(
            out,
            "  %6.1f s  sent %d  queue %d visible, %d in flight  tasks %d  %3.0f%% worked through",
            (System.nanoTime() - t0) / 1e9,
            goodSent.get() + poisonSent.get(),
            d.visible(),
            d.inFlight(),
            running,
            progress.getAsDouble() * 100);
      }
      Thread.sleep(200);
    }
    double drainSeconds = (System.nanoTime() - t0) / 1e9;
    over.set(true);
    sampling.set(false);
    faults.join(30_000);
    sampler.join(5_000);
    if (producerFailure.get() != null) {
      throw new IllegalStateException(
          "the producer failed: " + producerFailure.get(), producerFailure.get());
    }
    progress(out, "  %6.1f s  %s; counting", drainSeconds, drained ? "drained" : "timed out");

    String table = options.names().table();
    DynamoDbClient dynamodb = local.dynamodb();
    long inTable = ItemCount.of(dynamodb, table);
    long redelivered = countRedelivered(dynamodb, table);
    long[] dead = drainDeadLetters(sqs, local.queues().deadLetterUrl());
    List<TaskView> tasks = local.launcher().tasks();
    long sent = produced.get() == null ? goodSent.get() : produced.get().sent();
    return new Report(
        sent + poisonSent.get(),
        poisonSent.get(),
        inTable,
        dead[0] + dead[1],
        dead[0],
        redelivered,
        Math.max(maxSampled.get(), maxOverlap(tasks)),
        maxTasks,
        tasks,
        schedule.injected(),
        drained,
        drainSeconds);
  }

  private static void sendPoison(SqsClient sqs, String queue, long from, int n) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String head = POISON_PREFIX + (from + i) + "-";
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .messageBody(head + "x".repeat(POISON_BYTES - head.length()))
              .build());
    }
    // Retried until every entry is in: a poison message not sent would be counted as lost.
    for (int attempt = 0; !entries.isEmpty(); attempt++) {
      List<SendMessageBatchRequestEntry> batch = entries;
      SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(batch));
      List<String> failed = r.failed().stream().map(f -> f.id()).toList();
      entries = batch.stream().filter(e -> failed.contains(e.id())).toList();
      if (attempt > 20) {
        throw new IllegalStateException("poison messages could not be sent: " + r.failed());
      }
    }
  }

  /** Items whose message was received more than once before it was written. */
  private static long countRedelivered(DynamoDbClient dynamodb, String table) {
    return ItemCount.matching(
        dynamodb,
        table,
        "#rc > :one",
        Map.of("#rc", ItemSchema.RECEIVE_COUNT),
        Map.of(":one", AttributeValue.fromN("1")));
  }

  /** Receives every dead letter once: {poison, other} counts of distinct bodies. */
  private static long[] drainDeadLetters(SqsClient sqs, String dlq) {
    java.util.Set<String> poison = new java.util.HashSet<>();
    java.util.Set<String> other = new java.util.HashSet<>();
    int empty = 0;
    while (empty < 2) {
      List<Message> batch =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(dlq)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .visibilityTimeout(3600))
              .messages();
      if (batch.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      for (Message m : batch) {
        (m.body().startsWith(POISON_PREFIX) ? poison : other).add(m.body());
      }
    }
    return new long[] {poison.size(), other.size()};
  }

  /** The most tasks alive at one instant, from each task's start and stop. */
  static int maxOverlap(List<TaskView> tasks) {
    List<long[]> edges = new ArrayList<>();
    for (TaskView t : tasks) {
      edges.add(new long[] {t.startedAt().toEpochMilli(), 1});
      edges.add(
          new long[] {
            t.stoppedAt().map(java.time.Instant::toEpochMilli).orElse(Long.MAX_VALUE), -1
          });
    }
    // At the same instant a stop comes before a start: a task replaced is not two at once.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int max = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private void progress(PrintWriter out, String format, Object... args) {
    if (json) {
      spec.commandLine().getErr().printf(format + "%n", args);
      spec.commandLine().getErr().flush();
    } else {
      out.printf(format + "%n", args);
      out.flush();
    }
  }

  /** What a run measured. */
  record Report(
      long produced,
      long poison,
      long inTable,
      long deadLetters,
      long poisonInDeadLetters,
      long redelivered,
      int maxFleet,
      int maxTasks,
      List<TaskView> tasks,
      List<FaultSchedule.Injected> faults,
      boolean drained,
      double drainSeconds) {

    long lost() {
      return produced - inTable - deadLetters;
    }

    List<String> problems() {
      List<String> p = new ArrayList<>();
      if (!drained) {
        p.add("the queue did not drain before the timeout");
      }
      if (lost() != 0) {
        p.add(lost() + " message(s) neither in the table nor in the dead-letter queue");
      }
      if (deadLetters != poison || poisonInDeadLetters != poison) {
        p.add(
            "the dead-letter queue holds "
                + deadLetters
                + " message(s), "
                + poisonInDeadLetters
                + " of them poison; "
                + poison
                + " poison were sent");
      }
      if (maxFleet > maxTasks) {
        p.add("the fleet reached " + maxFleet + " tasks, above the cap of " + maxTasks);
      }
      for (FaultSchedule.Injected f : faults) {
        if (f.affected() == 0) {
          p.add(f.name() + " hit nothing: " + f.detail());
        }
      }
      if (faults.size() != FaultSchedule.FAULTS.size()) {
        List<String> missing = new ArrayList<>();
        for (int i = faults.size(); i < FaultSchedule.FAULTS.size(); i++) {
          missing.add(FaultSchedule.FAULTS.get(i).name());
        }
        p.add("not injected (the run ended first): " + String.join(", ", missing));
      }
      return p;
    }

    boolean passed() {
      return problems().isEmpty();
    }

    Map<String, Integer> exitCodes() {
      Map<String, Integer> codes = new TreeMap<>();
      for (TaskView t : tasks) {
        codes.merge(
            t.exitCode().map(String::valueOf).orElse(t.state().toString()), 1, Integer::sum);
      }
      return codes;
    }

    String toJson() {
      ObjectMapper m = new ObjectMapper();
      ObjectNode o = m.createObjectNode();
      o.put("passed", passed());
      o.put("produced", produced);
      o.put("poison", poison);
      o.put("inTable", inTable);
      o.put("deadLetters", deadLetters);
      o.put("poisonInDeadLetters", poisonInDeadLetters);
      o.put("lost", lost());
      o.put("maxFleet", maxFleet);
      o.put("maxTasks", maxTasks);
      o.put("tasksStarted", tasks.size());
      ObjectNode codes = o.putObject("taskExitCodes");
      exitCodes().forEach(codes::put);
      o.put("redelivered", redelivered);
      ArrayNode fs = o.putArray("faults");
      for (FaultSchedule.Injected f : faults) {
        ObjectNode n = fs.addObject();
        n.put("name", f.name());
        n.put("atSeconds", round(f.atSeconds()));
        n.put("progress", round(f.progress()));
        n.put("seconds", round(f.seconds()));
        n.put("affected", f.affected());
        n.put("detail", f.detail());
      }
      o.put("drained", drained);
      o.put("drainSeconds", round(drainSeconds));
      ArrayNode problems = o.putArray("problems");
      problems().forEach(problems::add);
      return o.toString();
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }

    void print(PrintWriter out) {
      out.printf("%nFaults%n");
      for (FaultSchedule.Injected f : faults) {
        out.printf(
            "  %-26s at %6.1f s (%3.0f%% worked through), %4.1f s: %s%n",
            f.name(), f.atSeconds(), f.progress() * 100, f.seconds(), f.detail());
      }
      out.printf("%nAccounting%n");
      out.printf(Locale.ROOT, "  produced          %,9d (%,d poison)%n", produced, poison);
      out.printf(Locale.ROOT, "  in table          %,9d%n", inTable);
      out.printf(
          Locale.ROOT, "  dead-letter queue %,9d (%,d poison)%n", deadLetters, poisonInDeadLetters);
      out.printf(Locale.ROOT, "  lost              %,9d%n", lost());
      out.printf(
          Locale.ROOT,
          "  redelivered       %,9d (items whose message was received more than once)%n",
          redelivered);
      out.printf("  largest fleet     %9d of at most %d%n", maxFleet, maxTasks);
      out.printf("  tasks started     %9d (exit codes %s)%n", tasks.size(), exitCodes());
      out.printf(
          "  drain time        %9.1f s (first send to queue empty and every task stopped)%n",
          drainSeconds);
      List<String> problems = problems();
      out.printf(
          "%n%s%n",
          problems.isEmpty() ? "PASSED: nothing lost, the fleet stayed bounded" : "FAILED:");
      problems.forEach(p -> out.printf("  - %s%n", p));
    }
  }
}
