package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.aws.AwsTarget;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskState;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.local.tasks.ClassDataArchive;
import dev.surge.local.tasks.LauncherSettings;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.WorkerCommand;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.worker.WorkerRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Task start-up, measured as deployed: worker processes started by the local target's own launcher
 * ({@link ProcessTaskLauncher}, with {@link WorkerCommand#current()}'s command line and the
 * launcher's environment) on a queue that holds their messages already, one task alone and then the
 * seed's four at once. Each worker reports, from its process's start, when it first received
 * messages and first wrote an item, and the CPU it had used by then.
 *
 * <p>Each configuration is measured in the same run: without class-data sharing (the JVM's own
 * archive of JDK classes only), and with the worker's AppCDS archive ({@link ClassDataArchive}),
 * made by a first task that is not counted. Rounds alternate the order; the best of each figure is
 * kept. A further task per configuration runs with {@code -Xlog:class+load} to count the classes it
 * loaded and how many came from an archive.
 */
final class StartBench {
  /**
   * Messages per task: more than a task drains in the moments it runs here, so the last of four
   * started at once still finds some.
   */
  private static final int PER_TASK = 1000;

  /** Messages of the task that makes the archive: it drains them all and exits as deployed. */
  private static final int TRAINING = 300;

  /** How long measured tasks run after the last one is ready, before they are stopped. */
  private static final Duration AFTER_READY = Duration.ofMillis(1500);

  private static final int FLEET = 4;

  private final AwsTarget target;
  private final SqsClient sqs;
  private final Provisioner provisioner;
  private final PrintWriter progress;
  private final Path scratch;
  private int serial;

  StartBench(
      AwsTarget target,
      SqsClient sqs,
      Provisioner provisioner,
      PrintWriter progress,
      Path scratch) {
    this.target = target;
    this.sqs = sqs;
    this.provisioner = provisioner;
    this.progress = progress;
    this.scratch = scratch;
  }

  /**
   * The start-up figures of {@code surge bench}: tasks ({@link #run}) and the function's cold start
   * ({@link FunctionStartBench}), on the bench's stand-ins, in a scratch folder deleted after.
   */
  static ObjectNode measure(
      AwsTarget target, SqsClient sqs, DynamoDbClient dynamodb, PrintWriter progress, int rounds)
      throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("surge-bench-start");
    try {
      Provisioner provisioner = new Provisioner(sqs, dynamodb);
      ObjectNode o = new StartBench(target, sqs, provisioner, progress, scratch).run(rounds);
      o.setAll(new FunctionStartBench(target, sqs, dynamodb, provisioner, progress).run(rounds));
      return o;
    } finally {
      deleteTree(scratch);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** What one configuration of the worker's command measured (best of the rounds). */
  private static final class Figures {
    long oneReceive = Long.MAX_VALUE;
    long oneWrite = Long.MAX_VALUE;
    long oneCpu = Long.MAX_VALUE;
    long fourReceive = Long.MAX_VALUE;
    long fourWrite = Long.MAX_VALUE;
    long fourCpu = Long.MAX_VALUE;
    long classes;
    long sharedClasses;

    ObjectNode ms() {
      return new ObjectMapper()
          .createObjectNode()
          .put("one", oneWrite)
          .put("four", fourWrite)
          .put("oneFirstReceive", oneReceive)
          .put("fourFirstReceive", fourReceive);
    }

    ObjectNode cpu() {
      return new ObjectMapper().createObjectNode().put("one", oneCpu).put("four", fourCpu);
    }
  }

  /**
   * Runs {@code rounds} rounds of each configuration and returns the JSON fields: {@code
   * taskStartMs} and {@code taskStartCpuMs} for the launcher's command (with the archive), the same
   * without it under {@code taskStartWithoutCds}, and their ratios.
   */
  ObjectNode run(int rounds) throws InterruptedException {
    WorkerCommand plain = WorkerCommand.current().withClassData(Optional.empty());
    WorkerCommand cds = WorkerCommand.current().withClassData(Optional.of(scratch.resolve("cds")));
    long training = train(cds);
    Figures without = new Figures();
    Figures with = new Figures();
    for (int round = 1; round <= rounds; round++) {
      boolean plainFirst = round % 2 == 1;
      for (int k = 0; k < 2; k++) {
        boolean isPlain = (k == 0) == plainFirst;
        measure(isPlain ? plain : cds, isPlain ? without : with, round);
      }
    }
    countClasses(plain, without);
    countClasses(cds, with);
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.set("taskStartMs", with.ms());
    o.set("taskStartCpuMs", with.cpu());
    o.put("taskStartClassesLoaded", with.classes);
    o.put("taskStartClassesShared", with.sharedClasses);
    ObjectNode before = o.putObject("taskStartWithoutCds");
    before.set("ms", without.ms());
    before.set("cpuMs", without.cpu());
    before.put("classesLoaded", without.classes);
    before.put("classesShared", without.sharedClasses);
    o.put("taskStartCdsTrainingMs", training);
    o.put("taskStartOneVsWithoutCds", ratio(with.oneWrite, without.oneWrite));
    o.put("taskStartFourVsWithoutCds", ratio(with.fourWrite, without.fourWrite));
    o.put("taskStartCpuVsWithoutCds", ratio(with.oneCpu, without.oneCpu));
    return o;
  }

  private static double ratio(long a, long b) {
    return Math.round(a * 100.0 / b) / 100.0;
  }

  // The first task with the archive's directory empty makes the archive as it exits.
  private long train(WorkerCommand cds) throws InterruptedException {
    ClassDataArchive archive = ClassDataArchive.of(cds, cds.classData().orElseThrow());
    progress.printf(Locale.ROOT, "bench: start-up, making the worker's CDS archive...%n");
    long t0 = System.nanoTime();
    run(cds, 1, "cds-training", List.of(), TRAINING, false);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // The archive is published once the process has exited, which is reported a moment after its
    // output ended.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!archive.exists() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!archive.exists()) {
      throw new IllegalStateException("the training task did not make " + archive.file());
    }
    return ms;
  }

  private void measure(WorkerCommand command, Figures f, int round) throws InterruptedException {
    String name = command.classData().isPresent() ? "cds" : "no-cds";
    progress.printf(
        Locale.ROOT,
        "bench: start-up, %s, one task then %d at once (round %d)...%n",
        name,
        FLEET,
        round);
    List<JsonNode> one = run(command, 1, name, List.of(), PER_TASK, true);
    f.oneReceive = Math.min(f.oneReceive, field(one, "firstReceiveMs").max());
    f.oneWrite = Math.min(f.oneWrite, field(one, "firstWriteMs").max());
    f.oneCpu = Math.min(f.oneCpu, field(one, "firstWriteCpuMs").max());
    List<JsonNode> four = run(command, FLEET, name, List.of(), PER_TASK * FLEET, true);
    // The fleet's start is its slowest task's; CPU is per task (the mean).
    f.fourReceive = Math.min(f.fourReceive, field(four, "firstReceiveMs").max());
    f.fourWrite = Math.min(f.fourWrite, field(four, "firstWriteMs").max());
    f.fourCpu = Math.min(f.fourCpu, Math.round(field(four, "firstWriteCpuMs").mean()));
  }

  private void countClasses(WorkerCommand command, Figures f) throws InterruptedException {
    Path log = scratch.resolve("class-load-" + (++serial) + ".log");
    run(command, 1, "class-count", List.of("-Xlog:class+load=info:file=" + log), PER_TASK, true);
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .filter(l -> l.contains("source:"))
          .forEach(
              l -> {
                f.classes++;
                if (l.contains("shared objects file")) {
                  f.sharedClasses++;
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Stat(long max, double mean) {}

  private static Stat field(List<JsonNode> summaries, String name) {
    long max = 0;
    double sum = 0;
    for (JsonNode s : summaries) {
      JsonNode v = s.path("startup").path(name);
      if (!v.isIntegralNumber() || v.asLong() < 0) {
        throw new IllegalStateException("a worker's summary has no startup." + name + ": " + s);
      }
      max = Math.max(max, v.asLong());
      sum += v.asLong();
    }
    return new Stat(max, sum / summaries.size());
  }

  /**
   * Starts {@code tasks} tasks at once on a fresh queue of {@code messages} and returns their
   * summaries; with {@code stopWhenStarted}, stops them (SIGTERM, as ECS) a moment after the last
   * is ready instead of letting them drain the queue.
   */
  private List<JsonNode> run(
      WorkerCommand command,
      int tasks,
      String name,
      List<String> extraOptions,
      long messages,
      boolean stopWhenStarted)
      throws InterruptedException {
    String id = "bench-start-" + name + "-" + (++serial);
    QueuePair q = provisioner.ensureQueue(id, id + "-dlq", QueueOptions.defaults());
    provisioner.ensureTable(id);
    new Producer(sqs, q.url(), Backoff.standard())
        .produce(messages, 8, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
    Path logs = scratch.resolve(id);
    LauncherSettings settings =
        LauncherSettings.of(target, q.url(), id, tasks, logs)
            .withTuning(
                WorkerTuning.defaults()
                    .withPollWait(Duration.ofSeconds(1))
                    .withIdleWindow(Duration.ofSeconds(1)))
            .withExtraEnvironment(Map.of("SURGE_LOG_LEVEL", "WARN"));
    WorkerCommand cmd =
        extraOptions.isEmpty()
            ? command
            : command.withJvmOptions(
                Stream.concat(command.jvmOptions().stream(), extraOptions.stream()).toList());
    try (ProcessTaskLauncher launcher =
        new ProcessTaskLauncher(settings, cmd, Clock.systemUTC(), new EventLog(64))) {
      var result = launcher.run(launcher.latestOfFamily("bench"), tasks);
      if (result.tasks().size() != tasks || !result.failures().isEmpty()) {
        throw new IllegalStateException("tasks did not start: " + result.failures());
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      if (stopWhenStarted) {
        while (launcher.tasks().stream().anyMatch(t -> t.state() == TaskState.PROVISIONING)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("start-up bench tasks not ready after 3 minutes");
          }
          Thread.sleep(20);
        }
        Thread.sleep(AFTER_READY.toMillis());
        launcher.stopRunning();
      }
      while (launcher.running() > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("start-up bench tasks still running after 3 minutes");
        }
        Thread.sleep(50);
      }
      List<JsonNode> summaries = new ArrayList<>();
      for (String task : result.tasks()) {
        summaries.add(summary(launcher.logFile(task)));
      }
      summaries.sort(Comparator.comparing(s -> s.path("taskId").asText()));
      return summaries;
    }
  }

  private static JsonNode summary(Path log) {
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith(WorkerRunner.SUMMARY_PREFIX)) {
          return new ObjectMapper().readTree(line.substring(WorkerRunner.SUMMARY_PREFIX.length()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no summary line in " + log);
  }
}
