package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.standins.DynaliteServer;
import dev.surge.standins.aws.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Several instances of the trigger deciding for one fleet at once, as Lambda execution environments
 * do when an SNS notification, the scheduled reconcile and a retry overlap: each instance has its
 * own {@link TriggerService}, {@link EcsTaskLauncher}, clients and memory, and they share only what
 * AWS would share, moto's ECS ({@link MotoEcs}) with its {@code ListTasks} lag switched on, and the
 * fleet lease's control table in dynalite (the DynamoDB API by others, whose conditional writes are
 * DynamoDB's). While the listing lags an instance can only learn of another's tasks from the
 * lease's ledger.
 *
 * <p>The fleet is counted with the lag off, between rounds, when no decision is in flight. The
 * control test runs the same instances without the lease, to show that this set-up does make the
 * fleet overshoot when nothing serializes the instances.
 *
 * <p>With SnapStart the instances are not built one by one: Lambda runs the function's init once
 * and starts each execution environment from a snapshot of it. The tests that model this build the
 * handler once from the function's environment (SQS and CloudWatch in moto too, ECS through an
 * {@link EcsRelay} that records the calls) and start the instances from copies of it ({@link
 * Snapshot}).
 */
@Order(1) // among the longest: started first
class FleetLeaseMotoIT {
  private static final Path WORK = Path.of("target", "moto-it", "fleet-lease").toAbsolutePath();
  private static final String TABLE = "surge-control";
  private static final int INSTANCES = 6;
  private static final int ROUNDS = 4;
  // A backlog the default policy (300 messages a task, at most 10) answers with its cap.
  private static final long BACKLOG = 100_000;
  private static final int MAX_TASKS = ScalingPolicy.Proportional.defaults().maxTasks();

  // What the function reads from its environment in the tests that build it as Lambda does.
  private static final String QUEUE = "surge-lease-it";
  private static final String ALARM = "fasttrack-saa-backlog";
  private static final int QUEUED = 40;
  private static final int MESSAGES_PER_TASK = 3;

  private static MotoEcs world;
  private static DynaliteServer dynalite;
  private static DynamoDbClient admin;
  private static EcsRelay relay;
  private static String alarmMessage;

  private String tag;
  private final List<Instance> instances = new ArrayList<>();

  @BeforeAll
  static void startMotoAndDynalite() throws IOException {
    world = MotoEcs.start(WORK);
    dynalite = DynaliteServer.start("127.0.0.1", 0);
    admin = dynamodb();
    DynamoDbFleetLeaseIT.createControlTable(admin, TABLE);
    relay = EcsRelay.to(world.moto.endpoint());
    aQueueWithABacklogAndItsAlarmInAlarm();
    // The CloudWatch message of the SNS fixture, read as plain JSON (see EcsTaskLauncherMotoIT).
    alarmMessage =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Fixtures.text("events/sns-alarm.json"))
            .path("Records")
            .get(0)
            .path("Sns")
            .path("Message")
            .asText();
  }

  /** The queue the function reads, {@link #QUEUED} messages deep, and its alarm in ALARM. */
  private static void aQueueWithABacklogAndItsAlarmInAlarm() {
    Map<String, String> env = world.moto.clientEnvironment();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(
                env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
    try (SqsClient sqs =
            SqsClient.builder()
                .region(Region.of(MotoServer.REGION))
                .endpointOverride(world.moto.endpoint())
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
        CloudWatchClient cloudWatch =
            CloudWatchClient.builder()
                .region(Region.of(MotoServer.REGION))
                .endpointOverride(world.moto.endpoint())
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build()) {
      String url = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
      for (int sent = 0; sent < QUEUED; sent += 10) {
        int first = sent;
        sqs.sendMessageBatch(
            b ->
                b.queueUrl(url)
                    .entries(
                        IntStream.range(first, first + 10)
                            .mapToObj(
                                i ->
                                    SendMessageBatchRequestEntry.builder()
                                        .id("m" + i)
                                        .messageBody("item-" + i)
                                        .build())
                            .toList()));
      }
      cloudWatch.putMetricAlarm(
          b ->
              b.alarmName(ALARM)
                  .namespace("AWS/SQS")
                  .metricName("ApproximateNumberOfMessagesVisible")
                  .dimensions(Dimension.builder().name("QueueName").value(QUEUE).build())
                  .statistic(Statistic.SUM)
                  .period(60)
                  .evaluationPeriods(1)
                  .threshold(10.0)
                  .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
      cloudWatch.setAlarmState(
          b -> b.alarmName(ALARM).stateValue(StateValue.ALARM).stateReason("a backlog"));
    }
  }

  @AfterAll
  static void stopThem() {
    if (relay != null) {
      relay.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (dynalite != null) {
      dynalite.close();
      assertThat(ProcessHandle.of(dynalite.pid())).as("dynalite stopped").isEmpty();
    }
    if (world != null) {
      world.close();
    }
  }

  private static DynamoDbClient dynamodb() {
    return DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(dynalite.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("it", "it")))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  @BeforeEach
  void aFleetOfItsOwnWhileTheListingLags() {
    tag = "lease-" + UUID.randomUUID().toString().substring(0, 8);
    // ECS's ListTasks is eventually consistent: here it shows no task younger than a minute.
    world.moto.ecsListLag(Duration.ofSeconds(60));
  }

  @AfterEach
  void closeTheInstances() {
    world.moto.ecsListLag(Duration.ZERO);
    instances.forEach(Instance::close);
    instances.clear();
  }

  /** One execution environment: its own clients, launcher, trigger and memory. */
  private final class Instance implements AutoCloseable {
    final EcsClient ecs;
    final DynamoDbClient dynamodb = dynamodb();
    final TriggerService trigger;

    Instance(boolean leased, TestPorts.FixedAlarm alarm, long backlog) {
      this(leased, alarm, backlog, DynamoDbFleetLease.TTL, world.moto.endpoint());
    }

    /** Leased for {@code ttl}, reaching ECS at {@code ecsEndpoint}. */
    Instance(
        boolean leased, TestPorts.FixedAlarm alarm, long backlog, Duration ttl, URI ecsEndpoint) {
      ecs = world.newClient(ecsEndpoint);
      EcsSettings settings = world.settings(MotoEcs.FAMILY, tag);
      Clock clock = Clock.systemUTC();
      Optional<DynamoDbFleetLease> lease =
          leased
              ? Optional.of(
                  new DynamoDbFleetLease(
                      dynamodb,
                      TABLE,
                      DynamoDbFleetLease.fleetOf(settings),
                      () -> UUID.randomUUID().toString(),
                      clock,
                      ttl))
              : Optional.empty();
      LaunchLedger ledger = lease.<LaunchLedger>map(l -> l).orElseGet(LaunchLedger::inMemory);
      trigger =
          new TriggerService(
              new TriggerSettings(
                  "demo-decoupling-saa",
                  "fasttrack-saa-backlog",
                  ScalingPolicy.Proportional.defaults()),
              new TestPorts.FixedBacklog(backlog, 0),
              new EcsTaskLauncher(ecs, settings, clock, ledger),
              alarm,
              Optional.of(new EcsTaskDirectory(ecs, settings)),
              lease.map(l -> l),
              clock);
    }

    @Override
    public void close() {
      ecs.close();
      dynamodb.close();
    }
  }

  private void startInstances(boolean leased, TestPorts.FixedAlarm alarm, long backlog) {
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(new Instance(leased, alarm, backlog));
    }
  }

  /**
   * Round {@code round}'s decision on instance {@code i}, the paths mixed: a notification SNS
   * delivered to several instances (the same message id), one of its own, or a reconcile tick.
   */
  private Callable<TriggerReport> decision(int round, int i) {
    TriggerService trigger = instances.get(i).trigger;
    return switch ((round + i) % 3) {
      case 0 -> () -> trigger.onNotification("sns-round-" + round, alarmMessage);
      case 1 -> () -> trigger.onNotification("sns-" + round + "-" + i, alarmMessage);
      default -> trigger::reconcile;
    };
  }

  /** Runs {@code decisions} on as many threads, released together; their reports. */
  private static List<TriggerReport> atOnce(List<Callable<TriggerReport>> decisions)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(decisions.size());
    ExecutorService pool = Executors.newFixedThreadPool(decisions.size());
    try {
      List<Callable<TriggerReport>> released = new ArrayList<>();
      for (Callable<TriggerReport> d : decisions) {
        released.add(
            () -> {
              start.await(30, TimeUnit.SECONDS);
              return d.call();
            });
      }
      List<TriggerReport> reports = new ArrayList<>();
      for (Future<TriggerReport> f : pool.invokeAll(released)) {
        reports.add(f.get());
      }
      return reports;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The fleet's live tasks as ECS lists them once its listing has caught up. */
  private List<String> liveFleet() {
    world.moto.ecsListLag(Duration.ZERO);
    try {
      return new EcsTaskDirectory(world.ecs(), world.settings(MotoEcs.FAMILY, tag)).runningArns();
    } finally {
      world.moto.ecsListLag(Duration.ofSeconds(60));
    }
  }

  private static Set<String> started(List<TriggerReport> reports) {
    Set<String> ids = new HashSet<>();
    reports.forEach(r -> ids.addAll(r.started()));
    return ids;
  }

  @Test
  void concurrentDecisionsOfSeveralInstancesNeverTakeTheFleetAboveMaxTasks() throws Exception {
    startInstances(true, new TestPorts.FixedAlarm(AlarmState.ALARM), BACKLOG);
    Set<String> startedIds = new HashSet<>();
    List<Integer> fleetAfterEachRound = new ArrayList<>();
    int stoppedByTheTest = 0;
    for (int round = 0; round < ROUNDS; round++) {
      List<Callable<TriggerReport>> decisions = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        decisions.add(decision(round, i));
      }
      List<TriggerReport> reports = atOnce(decisions);
      assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
      Set<String> now = started(reports);
      assertThat(java.util.Collections.disjoint(now, startedIds)).as("no task id twice").isTrue();
      startedIds.addAll(now);

      List<String> fleet = liveFleet();
      fleetAfterEachRound.add(fleet.size());
      assertThat(fleet).as("the fleet after round %d", round).hasSizeLessThanOrEqualTo(MAX_TASKS);
      if (round == 1) {
        // Part of the fleet dies: the next round tops it up, and only it.
        for (String arn : fleet.subList(0, 3)) {
          world.ecs().stopTask(b -> b.cluster(MotoEcs.CLUSTER).task(arn).reason("test: died"));
        }
        stoppedByTheTest = 3;
      }
    }

    assertThat(fleetAfterEachRound).containsExactly(10, 10, 10, 10);
    assertThat(startedIds).hasSize(MAX_TASKS + stoppedByTheTest);
    assertThat(liveFleet()).hasSize(MAX_TASKS);
  }

  @Test
  void aDuplicatedActivationStartsOneTask() throws Exception {
    // Outside ALARM, a backlog no task works on, seen by every instance on two checks in a row.
    startInstances(true, new TestPorts.FixedAlarm(AlarmState.OK), 50);
    List<TriggerReport> reports = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      List<Callable<TriggerReport>> ticks = new ArrayList<>();
      instances.forEach(i -> ticks.add(i.trigger::reconcile));
      reports.addAll(atOnce(ticks));
    }

    assertThat(started(reports)).hasSize(1);
    assertThat(liveFleet()).hasSize(1);
  }

  /**
   * The function's environment: AWS as moto (ECS through {@link #relay}) and the control table in
   * dynalite, {@code maxTasks} 10 at {@link #MESSAGES_PER_TASK} messages a task.
   */
  private Map<String, String> functionEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>(world.moto.clientEnvironment());
    env.remove("AWS_ENDPOINT_URL");
    env.put("AWS_ENDPOINT_URL_ECS", relay.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SQS", world.moto.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_CLOUDWATCH", world.moto.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
    env.put("SURGE_CONTROL_TABLE", TABLE);
    env.put("SURGE_QUEUE", QUEUE);
    env.put("SURGE_ALARM", ALARM);
    env.put("SURGE_MESSAGES_PER_TASK", String.valueOf(MESSAGES_PER_TASK));
    env.put("SURGE_MAX_TASKS", String.valueOf(MAX_TASKS));
    env.put("SURGE_CLUSTER", MotoEcs.CLUSTER);
    env.put("SURGE_TASK_DEFINITION", MotoEcs.FAMILY);
    env.put("SURGE_CONTAINER", MotoEcs.CONTAINER);
    env.put("SURGE_SUBNETS", world.subnet);
    env.put("SURGE_SECURITY_GROUPS", world.securityGroup);
    env.put("SURGE_ASSIGN_PUBLIC_IP", "DISABLED");
    env.put("SURGE_STARTED_BY", tag);
    return env;
  }

  /** An SNS event of one alarm notification, message id {@code id}. */
  private static SNSEvent notification(String id) {
    SNSEvent.SNS sns = new SNSEvent.SNS().withMessageId(id).withMessage(alarmMessage);
    return new SNSEvent().withRecords(List.of(new SNSEvent.SNSRecord().withSns(sns)));
  }

  /** The calls of this test's fleet the relay saw for ECS operation {@code operation}. */
  private List<EcsRelay.Call> calls(String operation) {
    return relay.calls().stream()
        .filter(c -> c.operation().equals(operation))
        .filter(c -> tag.equals(c.request().path("startedBy").asText()))
        .toList();
  }

  @Test
  void instancesRestoredFromOneSnapshotTakeTurnsAndKeepTheFleetWithinMaxTasks() throws Exception {
    // Lambda's init, once: the handler as the function builds it from its environment. With
    // SnapStart every execution environment starts from a copy of what that init built.
    TriggerHandler init = new TriggerHandler(functionEnvironment());
    List<TriggerHandler> restored = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      restored.add(Snapshot.restore(init));
    }
    // A notification delivered to several environments, others of their own, schedule ticks.
    List<Callable<TriggerReport>> invocations = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      TriggerHandler handler = restored.get(i);
      SNSEvent event =
          switch (i % 3) {
            case 0 -> notification("sns-restored");
            case 1 -> notification("sns-restored-" + i);
            default -> new SNSEvent().withRecords(List.of());
          };
      invocations.add(() -> handler.handle(event).get(0));
    }

    List<TriggerReport> reports = atOnce(invocations);

    assertThat(reports).allSatisfy(r -> assertThat(r.failures()).isEmpty());
    assertThat(started(reports)).hasSize(MAX_TASKS);
    assertThat(liveFleet()).hasSize(MAX_TASKS);
    List<EcsRelay.Call> runTasks = calls("RunTask");
    assertThat(runTasks).hasSize(1);
    // Every other decision waited for the lease: it counted the fleet after the launch.
    Instant launched = runTasks.get(0).arrived();
    assertThat(calls("ListTasks").stream().filter(c -> c.arrived().isAfter(launched)))
        .as("fleet counts made after the launch")
        .hasSize(INSTANCES - 1);
  }

  @Test
  void aRunTaskAnsweredAfterItsLeaseWouldHaveExpiredEndsWithinItAndItsTasksStillCount()
      throws Exception {
    // ECS starts the tasks but answers only after the lease's TTL.
    Duration ttl = Duration.ofSeconds(8);
    relay.nextRunTaskAnswersAfter(ttl.plusSeconds(4));
    TestPorts.FixedAlarm alarm = new TestPorts.FixedAlarm(AlarmState.ALARM);
    Instance first = new Instance(true, alarm, BACKLOG, ttl, relay.endpoint());
    Instance second = new Instance(true, alarm, BACKLOG, ttl, relay.endpoint());
    instances.add(first);
    instances.add(second);
    CompletableFuture<Duration> launching =
        CompletableFuture.supplyAsync(
            () -> {
              Instant start = Instant.now();
              TriggerReport launched = first.trigger.onNotification("sns-late", alarmMessage);
              assertThat(launched.started()).isEmpty();
              assertThat(launched.failures()).hasSize(MAX_TASKS);
              return Duration.between(start, Instant.now());
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> relay.runTasksArrived(tag) > 0);

    TriggerReport waited = second.trigger.reconcile();

    assertThat(launching.get(30, TimeUnit.SECONDS))
        .as("the decision whose RunTask got no answer, from its start to its release")
        .isLessThan(ttl);
    assertThat(waited.started()).as("the tasks of the call that timed out counted").isEmpty();
    assertThat(liveFleet()).hasSize(MAX_TASKS);
  }

  @Test
  void aRunTaskThatFailsAfterStartingItsTasksCountsThemUntilTheListingShowsThem() {
    // ECS starts the tasks, then answers a server error, to the SDK's every retry.
    relay.nextRunTaskStartsThenFails(500, "ServerException");
    TestPorts.FixedAlarm alarm = new TestPorts.FixedAlarm(AlarmState.ALARM);
    Instance first = new Instance(true, alarm, BACKLOG, DynamoDbFleetLease.TTL, relay.endpoint());
    Instance second = new Instance(true, alarm, BACKLOG, DynamoDbFleetLease.TTL, relay.endpoint());
    instances.add(first);
    instances.add(second);

    TriggerReport failed = first.trigger.onNotification("sns-failed", alarmMessage);
    TriggerReport next = second.trigger.reconcile();

    assertThat(failed.started()).isEmpty();
    assertThat(failed.failures())
        .hasSize(MAX_TASKS)
        .allSatisfy(f -> assertThat(f.reason()).isEqualTo("ServerException"));
    assertThat(next.started()).as("the failed call's tasks counted").isEmpty();
    assertThat(liveFleet()).hasSize(MAX_TASKS);

    // The listing catches up: it counts those tasks now, and the pending launch no longer does.
    world.moto.ecsListLag(Duration.ZERO);
    assertThat(second.trigger.reconcile().started()).isEmpty();
    for (String arn : liveFleet().subList(0, 3)) {
      world.ecs().stopTask(b -> b.cluster(MotoEcs.CLUSTER).task(arn).reason("test: died"));
    }
    world.moto.ecsListLag(Duration.ZERO);
    assertThat(second.trigger.reconcile().started()).as("three died: three replaced").hasSize(3);
    assertThat(liveFleet()).hasSize(MAX_TASKS);
  }

  @Test
  void withoutTheLeaseTheSameInstancesStartTheFleetSeveralTimes() throws Exception {
    // The control: nothing but the lease differs from the tests above.
    startInstances(false, new TestPorts.FixedAlarm(AlarmState.ALARM), BACKLOG);
    List<Callable<TriggerReport>> decisions = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      decisions.add(decision(0, i));
    }

    List<TriggerReport> reports = atOnce(decisions);

    assertThat(started(reports)).hasSizeGreaterThan(MAX_TASKS);
    assertThat(liveFleet()).hasSizeGreaterThan(MAX_TASKS);
  }

  @Test
  void aLaunchOutsideTheLeaseStartsNothing() {
    EcsSettings settings = world.settings(MotoEcs.FAMILY, tag);
    try (DynamoDbClient dynamodb = dynamodb()) {
      DynamoDbFleetLease lease =
          new DynamoDbFleetLease(
              dynamodb, TABLE, DynamoDbFleetLease.fleetOf(settings), Clock.systemUTC());
      EcsTaskLauncher launcher =
          new EcsTaskLauncher(world.ecs(), settings, Clock.systemUTC(), lease);

      LaunchResult result = launcher.launch(12);

      assertThat(result.started()).isEmpty();
      assertThat(result.failures())
          .hasSize(12)
          .allSatisfy(
              f -> {
                assertThat(f.reason()).isEqualTo("NO_LEASE");
                assertThat(f.detail()).contains("no RunTask outside the fleet lease");
              });
      assertThat(liveFleet()).isEmpty();
    }
  }
}
