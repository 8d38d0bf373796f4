package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.queue.QueueOptions;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.JavaProcess;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The worker as a process: the container entry point, its signals and exit codes. */
@Order(1) // among the longest: started first
@ExtendWith(StandInsExtension.class)
class WorkerProcessIT {
  private static StandIns standIns;

  @TempDir Path logs;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  private Process start(Map<String, String> env, String name) throws IOException {
    // With the options every worker runs with, in a task as in the local cloud.
    return JavaProcess.builder(WorkerJvm.OPTIONS, WorkerMain.class, env)
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile())
        .start();
  }

  private String log(String name) throws IOException {
    return Files.readString(logs.resolve(name + ".log"), StandardCharsets.UTF_8);
  }

  @Test
  void sigtermMidDrainExitsZeroAndASecondWorkerFinishesWithNothingLost() throws Exception {
    try (Fixture f = new Fixture(standIns, "sigterm", QueueOptions.defaults())) {
      f.produce(2000);
      Process worker = start(f.workerEnvironment("task-a"), "task-a");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (f.itemCount() < 300 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      assertThat(f.itemCount()).as("items before SIGTERM").isGreaterThanOrEqualTo(300);

      long t0 = System.nanoTime();
      worker.destroy(); // SIGTERM
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      long stopMillis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(worker.exitValue()).as(log("task-a")).isZero();
      // Within ECS's stop timeout (30 s), past which the task would be SIGKILLed: the batch in hand
      // is finished, not the queue. (About a second on a quiet machine; the suite's load on two
      // cores stretches it, so the bound is the one that matters, not a speed.)
      assertThat(stopMillis).isLessThan(25_000);
      assertThat(log("task-a")).contains("stop requested");
      long afterFirst = f.itemCount();
      assertThat(afterFirst).isLessThan(2000);

      Process second = start(f.workerEnvironment("task-b"), "task-b");
      assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).as(log("task-b")).isZero();
      assertThat(log("task-b")).contains(WorkerRunner.SUMMARY_PREFIX).contains("\"DRAINED\"");
      // Its start-up, from its process's start: first receive, then first item written.
      com.fasterxml.jackson.databind.JsonNode startup =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  log("task-b")
                      .lines()
                      .filter(l -> l.startsWith(WorkerRunner.SUMMARY_PREFIX))
                      .findFirst()
                      .orElseThrow()
                      .substring(WorkerRunner.SUMMARY_PREFIX.length()))
              .path("startup");
      long receive = startup.path("firstReceiveMs").asLong(-1);
      long write = startup.path("firstWriteMs").asLong(-1);
      assertThat(receive).as(startup.toString()).isPositive();
      assertThat(write).as(startup.toString()).isGreaterThanOrEqualTo(receive);
      assertThat(startup.path("firstWriteCpuMs").asLong(-1))
          .isGreaterThanOrEqualTo(startup.path("firstReceiveCpuMs").asLong(-1))
          .isPositive();
      assertThat(f.itemCount()).isEqualTo(2000);
      assertThat(f.queueCount()).isZero();
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void asInTheContainerItLogsJsonLines() throws Exception {
    try (Fixture f = new Fixture(standIns, "json", QueueOptions.defaults())) {
      f.sqs.sendMessage(b -> b.queueUrl(f.queues.url()).messageBody("123123123"));
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-j"));
      env.put(WorkerMain.LOG_FORMAT, "json");
      Process worker = start(env, "task-j");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).as(log("task-j")).isZero();
      List<String> lines = log("task-j").lines().toList();
      List<String> logLines = lines.stream().filter(l -> !l.startsWith("SURGE_WORKER_")).toList();
      assertThat(logLines).isNotEmpty();
      com.fasterxml.jackson.databind.ObjectMapper json =
          new com.fasterxml.jackson.databind.ObjectMapper();
      for (String l : logLines) {
        com.fasterxml.jackson.databind.JsonNode n = json.readTree(l);
        assertThat(n.has("level")).as(l).isTrue();
        assertThat(n.has("formattedMessage")).as(l).isTrue();
      }
      assertThat(logLines).anyMatch(l -> l.contains("queue drained"));
      assertThat(f.item("123123123")).isPresent();
    }
  }

  @Test
  void aMissingQueueExitsTwoAndNamesIt() throws Exception {
    try (Fixture f = new Fixture(standIns, "noqueue", QueueOptions.defaults())) {
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-c"));
      env.put("SURGE_QUEUE", "no-such-queue");
      Process worker = start(env, "task-c");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isEqualTo(2);
      assertThat(log("task-c")).contains("queue 'no-such-queue' does not exist");
      // Named by URL, as the task definition may: the same clear exit 2.
      String url = f.queues.url().replace(f.queue, "no-such-queue");
      env.put("SURGE_QUEUE", url);
      Process byUrl = start(env, "task-c2");
      assertThat(byUrl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(byUrl.exitValue()).isEqualTo(2);
      assertThat(log("task-c2")).contains("queue " + url + " does not exist");
    }
  }

  @Test
  void aMissingTableExitsTwoAndNamesIt() throws Exception {
    try (Fixture f = new Fixture(standIns, "notable", QueueOptions.defaults())) {
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-d"));
      env.put("SURGE_TABLE", "no-such-table");
      Process worker = start(env, "task-d");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isEqualTo(2);
      assertThat(log("task-d")).contains("table 'no-such-table' does not exist");
    }
  }

  /**
   * The lines of {@code log} that say {@code what}, leaving out the summary line for launchers; and
   * checks that no stack trace came with them.
   */
  private static List<String> linesSaying(String log, String what) {
    assertThat(log).doesNotContain("\tat ").doesNotContain("Caused by");
    return log.lines()
        .filter(l -> l.contains(what) && !l.startsWith(WorkerRunner.SUMMARY_PREFIX))
        .toList();
  }

  @Test
  void aTableWithAnotherKeyExitsTwoWithOneLineAndTouchesNoMessage() throws Exception {
    try (Fixture f = new Fixture(standIns, "keyproc", QueueOptions.defaults())) {
      String table = f.table + "-other";
      WorkerConfigIT.createTable(f, table, List.of("id:S"));
      f.produce(3);
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-k"));
      env.put("SURGE_TABLE", table);
      Process worker = start(env, "task-k");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).as(log("task-k")).isEqualTo(2);
      assertThat(linesSaying(log("task-k"), "has the key"))
          .singleElement()
          .asString()
          .contains("ERROR")
          .contains("table '" + table + "' has the key id (S)")
          .contains("--table / SURGE_TABLE");
      assertThat(f.queueCount()).isEqualTo(3);
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void aQueueWithoutARedrivePolicyExitsTwoWithOneLineAndTouchesNoMessage() throws Exception {
    try (Fixture f = new Fixture(standIns, "redriveproc", QueueOptions.defaults())) {
      String queue = WorkerConfigIT.plainQueue(f);
      String url = f.sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
      f.sqs.sendMessage(b -> b.queueUrl(url).messageBody("9".repeat(3000)));
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-r"));
      env.put("SURGE_QUEUE", queue);
      Process worker = start(env, "task-r");
      try {
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      } finally {
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(worker.exitValue()).as(log("task-r")).isEqualTo(2);
      assertThat(linesSaying(log("task-r"), "has no redrive policy"))
          .singleElement()
          .asString()
          .contains("ERROR")
          .contains("queue '" + queue + "' has no redrive policy");
      assertThat(WorkerConfigIT.count(f, url)).isEqualTo(1);
    }
  }

  @Test
  void aPollWaitOfZeroExitsTwoWithOneLineInsteadOfSpinning() throws Exception {
    try (Fixture f = new Fixture(standIns, "pollzero", QueueOptions.defaults())) {
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-p"));
      env.put("SURGE_POLL_WAIT_SECONDS", "0");
      Process worker = start(env, "task-p");
      try {
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      } finally {
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      // Before, it short-polled the empty queue as fast as it answered, then exited 0.
      assertThat(worker.exitValue()).as(log("task-p")).isEqualTo(2);
      assertThat(log("task-p").lines().toList())
          .singleElement()
          .asString()
          .startsWith("surge worker: SURGE_POLL_WAIT_SECONDS='0'")
          .contains("1..20")
          .contains("0 is short polling");
    }
  }

  @Test
  void aBadSettingExitsTwoAndNamesTheVariable() throws Exception {
    try (Fixture f = new Fixture(standIns, "badenv", QueueOptions.defaults())) {
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-e"));
      env.put("SURGE_CONCURRENCY", "zero");
      Process worker = start(env, "task-e");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isEqualTo(2);
      assertThat(log("task-e")).contains("SURGE_CONCURRENCY='zero'");
    }
  }

  @Test
  void aSigtermThatCannotFinishWithinTheGraceExitsOneNotZero() throws Exception {
    try (Fixture f = new Fixture(standIns, "grace", QueueOptions.defaults());
        FaultProxy proxy = FaultProxy.in(standIns.dynamoDbEndpoint())) {
      Map<String, String> env = new java.util.HashMap<>(f.workerEnvironment("task-g"));
      env.put("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
      env.put(dev.surge.core.worker.WorkerSettings.SHUTDOWN_GRACE, "2");
      env.put(dev.surge.core.worker.WorkerSettings.IDLE, "60");
      Process worker = start(env, "task-g");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!log("task-g").contains(WorkerRunner.READY_PREFIX)) {
        assertThat(worker.isAlive()).as(log("task-g")).isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(50);
      }
      // DynamoDB hangs: a write in flight cannot end before the SDK's 35 s socket timeout.
      proxy.stall();
      f.produce(50);
      TimeUnit.SECONDS.sleep(2);

      worker.destroy(); // SIGTERM
      assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("exited after the grace").isTrue();

      assertThat(worker.exitValue()).as(log("task-g")).isEqualTo(1);
      assertThat(log("task-g")).contains("not finished after 2 s");
      proxy.up();
    }
  }
}
