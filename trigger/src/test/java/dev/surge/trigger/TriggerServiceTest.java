package dev.surge.trigger;

import static dev.surge.trigger.Fixtures.message;
import static dev.surge.trigger.Fixtures.messageId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.trigger.TestPorts.CountingLauncher;
import dev.surge.trigger.TestPorts.FixedAlarm;
import dev.surge.trigger.TestPorts.FixedBacklog;
import dev.surge.trigger.TriggerReport.Action;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The decision, driven by real CloudWatch notifications, with the ports as simple doubles. */
class TriggerServiceTest {
  private static final String ALARM = "fasttrack-saa-backlog";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T21:50:06Z"), ZoneOffset.UTC);

  private final FixedBacklog backlog = new FixedBacklog(1000, 100);
  private final CountingLauncher launcher = new CountingLauncher(0);
  private final FixedAlarm alarm = new FixedAlarm(AlarmState.ALARM);

  private TriggerService service(ScalingPolicy policy) {
    return new TriggerService(
        new TriggerSettings("demo-decoupling-saa", ALARM, policy), backlog, launcher, alarm, CLOCK);
  }

  private TriggerService defaults() {
    return service(ScalingPolicy.Proportional.defaults());
  }

  @Test
  void theSeedsBacklogStartsTheSeedsFourTasks() {
    TriggerReport r =
        defaults().onNotification(messageId("sns-alarm.json"), message("sns-alarm.json"));

    assertThat(r.action()).isEqualTo(Action.LAUNCHED);
    assertThat(r.backlog()).isEqualTo(1100);
    assertThat(r.running()).isZero();
    assertThat(r.desired()).isEqualTo(4);
    assertThat(r.started()).containsExactly("task-1", "task-2", "task-3", "task-4");
    assertThat(r.failures()).isEmpty();
    assertThat(launcher.launches).containsExactly(4);
  }

  @Test
  void runningTasksAreSubtracted() {
    launcher.running = 3;

    TriggerReport r = defaults().onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.running()).isEqualTo(3);
    assertThat(r.desired()).isEqualTo(4);
    assertThat(r.started()).hasSize(1);
    assertThat(launcher.launches).containsExactly(1);
  }

  @Test
  void aFullFleetStartsNothing() {
    launcher.running = 5;

    TriggerReport r = defaults().onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.action()).isEqualTo(Action.SATISFIED);
    assertThat(r.started()).isEmpty();
    assertThat(launcher.launches).isEmpty();
  }

  @ParameterizedTest(name = "backlog {0}, cap {1} -> {2} tasks")
  @CsvSource({"1000000,10,10", "1000000,6,6", "2999,10,10", "50,10,1"})
  void theFleetIsCapped(long visible, int maxTasks, int started) {
    backlog.depth = new QueueDepth(visible, 0, 0);

    TriggerReport r =
        service(new ScalingPolicy.Proportional(300, maxTasks))
            .onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.started()).hasSize(started);
    assertThat(launcher.launched()).isEqualTo(started);
  }

  @ParameterizedTest(name = "backlog {0}")
  @ValueSource(longs = {101, 1100, 100_000})
  void theFixedPolicyStartsTheSeedsFourWhateverTheBacklog(long visible) {
    backlog.depth = new QueueDepth(visible, 0, 0);

    TriggerReport r =
        service(new ScalingPolicy.Fixed(4)).onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.started()).hasSize(4);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sns-ok.json,ignored: state OK",
    "sns-insufficient-data.json,ignored: state INSUFFICIENT_DATA",
    "sns-other-alarm.json,ignored: alarm 'cpu-alarm' is not 'fasttrack-saa-backlog'"
  })
  void notificationsThatNeedNothingLaunchNothing(String fixture, String reason) {
    TriggerReport r = defaults().onNotification(messageId(fixture), message(fixture));

    assertThat(r.action()).isEqualTo(Action.IGNORED);
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(launcher.launches).isEmpty();
    assertThat(backlog.reads).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "sns-malformed-not-json.json,malformed: not JSON",
    "sns-malformed-no-state.json,malformed: NewStateValue is missing",
    "sns-malformed-empty.json,malformed: empty message"
  })
  void malformedMessagesAreReportedNotThrown(String fixture, String reason) {
    TriggerReport r = defaults().onNotification(messageId(fixture), message(fixture));

    assertThat(r.action()).isEqualTo(Action.MALFORMED);
    assertThat(r.reason()).startsWith(reason);
    assertThat(launcher.launches).isEmpty();
  }

  @Test
  void aNullMessageIsMalformedToo() {
    assertThat(defaults().onNotification(null, null).action()).isEqualTo(Action.MALFORMED);
  }

  @Test
  void aDuplicateDeliveryStartsTheFleetOnce() {
    TriggerService service = defaults();
    String id = messageId("sns-alarm.json");

    TriggerReport first = service.onNotification(id, message("sns-alarm.json"));
    TriggerReport second = service.onNotification(id, message("sns-alarm.json"));

    assertThat(first.started()).hasSize(4);
    assertThat(second.action()).isEqualTo(Action.DUPLICATE);
    assertThat(launcher.launched()).isEqualTo(4);
  }

  @Test
  void theSameAlarmUnderAnotherMessageIdDoesNotDoubleTheFleetEither() {
    TriggerService service = defaults();

    service.onNotification("m-1", message("sns-alarm.json"));
    TriggerReport again = service.onNotification("m-2", message("sns-alarm.json"));

    assertThat(again.action()).isEqualTo(Action.SATISFIED);
    assertThat(launcher.launched()).isEqualTo(4);
  }

  @Test
  void aFailingPortThrowsAndTheRetryIsNotADuplicate() {
    TriggerService service = defaults();
    backlog.failure = new IllegalStateException("SQS unreachable");

    assertThatThrownBy(() -> service.onNotification("m-1", message("sns-alarm.json")))
        .hasMessage("SQS unreachable");
    backlog.failure = null;
    TriggerReport retry = service.onNotification("m-1", message("sns-alarm.json"));

    assertThat(retry.action()).isEqualTo(Action.LAUNCHED);
    assertThat(launcher.launched()).isEqualTo(4);
  }

  @Test
  void launchFailuresAreReportedWithTheirReasons() {
    launcher.failNext = 3;

    TriggerReport r = defaults().onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.action()).isEqualTo(Action.LAUNCHED);
    assertThat(r.started()).hasSize(1);
    assertThat(r.failures()).hasSize(3).allMatch(f -> f.reason().equals("RESOURCE:MEMORY"));
    assertThat(r.summary()).contains("started=1 failed=3 reasons={RESOURCE:MEMORY=3}");
  }

  @Test
  void reconcileTopsUpTheFleetWhileTheAlarmStaysInAlarm() {
    TriggerService service = defaults();
    service.onNotification("m-1", message("sns-alarm.json"));
    launcher.stopAll();

    TriggerReport r = service.reconcile();

    assertThat(r.action()).isEqualTo(Action.LAUNCHED);
    assertThat(r.started()).hasSize(4);
    assertThat(launcher.launches).containsExactly(4, 4);
  }

  @Test
  void reconcileDoesNothingWhileTheFleetIsWhole() {
    launcher.running = 4;

    assertThat(defaults().reconcile().action()).isEqualTo(Action.SATISFIED);
    assertThat(launcher.launches).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"OK", "INSUFFICIENT_DATA"})
  void withTheSeedsActivationReconcileIsIdleUnlessInAlarm(AlarmState state) {
    alarm.state = state;

    TriggerReport r =
        new TriggerService(
                new TriggerSettings(
                    "demo-decoupling-saa",
                    ALARM,
                    ScalingPolicy.Proportional.defaults(),
                    TriggerSettings.Activation.ALARM),
                backlog,
                launcher,
                alarm,
                CLOCK)
            .reconcile();

    assertThat(r.action()).isEqualTo(Action.IDLE);
    assertThat(r.reason()).isEqualTo("idle: alarm " + state);
    assertThat(launcher.launches).isEmpty();
    assertThat(backlog.reads).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"OK", "INSUFFICIENT_DATA"})
  void aBacklogBelowTheThresholdThatNoTaskWorksOnStartsOneTask(AlarmState state) {
    alarm.state = state;
    backlog.depth = new QueueDepth(30, 20, 0); // 50 left by a fleet that died
    TriggerService service = defaults();

    TriggerReport noticed = service.reconcile();
    assertThat(noticed.action()).isEqualTo(Action.IDLE);
    assertThat(noticed.reason()).contains("one starts if that is still so at the next check");
    assertThat(launcher.launches).isEmpty();

    TriggerReport r = service.reconcile();

    assertThat(r.action()).isEqualTo(Action.LAUNCHED);
    assertThat(r.backlog()).isEqualTo(50);
    assertThat(r.started()).hasSize(1);
    assertThat(r.reason()).contains("50 message(s) wait and no task runs (activation)");
    assertThat(launcher.launches).containsExactly(1);
  }

  @Test
  void outsideAlarmABacklogThatATaskHoldsStartsNothing() {
    alarm.state = AlarmState.OK;
    backlog.depth = new QueueDepth(30, 20, 0);
    launcher.running = 1;

    TriggerReport r = defaults().reconcile();

    assertThat(r.action()).isEqualTo(Action.IDLE);
    assertThat(r.reason()).contains("held by 1 running task(s)");
    assertThat(launcher.launches).isEmpty();
  }

  @Test
  void aBacklogThatATaskPicksUpBetweenTwoChecksStartsNothing() {
    alarm.state = AlarmState.OK;
    backlog.depth = new QueueDepth(500, 0, 0); // a burst still being sent: the alarm is coming
    TriggerService service = defaults();
    service.reconcile();
    launcher.running = 4; // the alarm fired and its notification started the fleet
    service.reconcile();
    launcher.running = 0; // the fleet died; the sighting starts over
    assertThat(service.reconcile().action()).isEqualTo(Action.IDLE);
    assertThat(launcher.launches).isEmpty();
  }

  @Test
  void outsideAlarmAnEmptyQueueStartsNothing() {
    alarm.state = AlarmState.OK;
    backlog.depth = new QueueDepth(0, 0, 0);

    TriggerReport r = defaults().reconcile();

    assertThat(r.action()).isEqualTo(Action.IDLE);
    assertThat(r.reason()).isEqualTo("idle: alarm OK, queue empty");
    assertThat(launcher.launches).isEmpty();
  }

  @Test
  void anAlarmThatOutlivesTheDrainStartsNoTaskForAnEmptyQueue() {
    // CloudWatch's metric lags: the alarm is still in ALARM after the fleet drained and exited.
    backlog.depth = new QueueDepth(0, 0, 0);

    TriggerReport r = defaults().reconcile();

    assertThat(r.action()).isEqualTo(Action.SATISFIED);
    assertThat(r.desired()).isZero();
    assertThat(launcher.launches).isEmpty();
  }

  private TriggerService leased(TestPorts.InstanceLease lease, TaskLauncher launcher) {
    return new TriggerService(
        new TriggerSettings("demo-decoupling-saa", ALARM, ScalingPolicy.Proportional.defaults()),
        backlog,
        launcher,
        alarm,
        Optional.empty(),
        Optional.of(lease),
        CLOCK);
  }

  @Test
  void aNotificationCountsAndLaunchesUnderTheLease() {
    TestPorts.InstanceLease lease = new TestPorts.InstanceLease();
    TestPorts.LeaseWatchingLauncher watched = new TestPorts.LeaseWatchingLauncher(launcher, lease);

    TriggerReport r = leased(lease, watched).onNotification("m-1", message("sns-alarm.json"));

    assertThat(r.action()).isEqualTo(Action.LAUNCHED);
    assertThat(lease.taken).isEqualTo(1);
    assertThat(watched.heldWhenCounting).containsExactly(true);
    assertThat(watched.heldWhenLaunching).containsExactly(true);
  }

  @Test
  void theReconcileAndTheActivationDecideUnderTheLease() {
    TestPorts.InstanceLease lease = new TestPorts.InstanceLease();
    TestPorts.LeaseWatchingLauncher watched = new TestPorts.LeaseWatchingLauncher(launcher, lease);
    TriggerService service = leased(lease, watched);

    assertThat(service.reconcile().action()).isEqualTo(Action.LAUNCHED); // in ALARM: top-up
    alarm.state = AlarmState.OK;
    launcher.stopAll();
    service.reconcile(); // the first sighting of a backlog no task works on
    TriggerReport activated = service.reconcile();

    assertThat(activated.action()).isEqualTo(Action.LAUNCHED);
    assertThat(activated.started()).hasSize(1);
    assertThat(lease.taken).isEqualTo(3);
    assertThat(watched.heldWhenCounting).containsExactly(true, true, true);
    assertThat(watched.heldWhenLaunching).containsExactly(true, true);
  }

  @Test
  void aBusyLeaseThrowsLaunchesNothingAndLeavesTheNotificationToTheRetry() {
    TestPorts.InstanceLease lease = new TestPorts.InstanceLease();
    lease.busy = "the fleet lease is held by another instance";
    TriggerService service = leased(lease, launcher);

    assertThatThrownBy(() -> service.onNotification("m-1", message("sns-alarm.json")))
        .isInstanceOf(FleetLeaseException.class)
        .hasMessage("the fleet lease is held by another instance");
    assertThat(launcher.launches).isEmpty();
    assertThatThrownBy(service::reconcile).isInstanceOf(FleetLeaseException.class);

    lease.busy = null;
    TriggerReport retried = service.onNotification("m-1", message("sns-alarm.json"));

    assertThat(retried.action())
        .as("not a duplicate: it was not handled")
        .isEqualTo(Action.LAUNCHED);
    assertThat(launcher.launches).containsExactly(4);
  }

  @Test
  void whatNeedsNoDecisionTakesNoLease() {
    TestPorts.InstanceLease lease = new TestPorts.InstanceLease();
    TriggerService service = leased(lease, launcher);
    service.onNotification("m-1", message("sns-alarm.json"));

    assertThat(service.onNotification("m-1", message("sns-alarm.json")).action())
        .isEqualTo(Action.DUPLICATE);
    assertThat(service.onNotification("m-2", "not json").action()).isEqualTo(Action.MALFORMED);
    assertThat(service.onNotification("m-3", message("sns-ok.json")).action())
        .isEqualTo(Action.IGNORED);
    assertThat(lease.taken).isEqualTo(1);
  }

  private static TaskView stoppedTask(int n, int secondsAgo, Optional<Integer> exit, String why) {
    Instant stopped = CLOCK.instant().minusSeconds(secondsAgo);
    return new TaskView(
        "task-" + n,
        "host-" + n,
        TaskState.STOPPED,
        stopped.minusSeconds(20),
        Optional.of(stopped),
        exit,
        Optional.of(why));
  }

  private TriggerService withHistory(List<TaskView> history) {
    return new TriggerService(
        new TriggerSettings("demo-decoupling-saa", ALARM, ScalingPolicy.Proportional.defaults()),
        backlog,
        launcher,
        alarm,
        Optional.of(() -> history),
        CLOCK);
  }

  @Test
  void whileTheLatestThreeTasksExitedTwoLaunchesAreHeldBackAndSaySo() {
    List<TaskView> history = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      history.add(stoppedTask(i, 40 - i, Optional.of(2), "Essential container in task exited"));
    }

    TriggerReport r = withHistory(history).reconcile();

    assertThat(r.action()).isEqualTo(Action.HELD);
    assertThat(r.desired()).isEqualTo(4);
    assertThat(r.started()).isEmpty();
    assertThat(r.reason())
        .contains("the last 3 tasks could not run")
        .contains("exit 2, bad configuration")
        .contains("next launch at 2026-11-27T21:50:29Z");
    assertThat(launcher.launches).isEmpty();
  }

  @Test
  void afterTheHoldOneLaunchGoesAheadAndEachFurtherFailureDoublesTheHold() {
    List<TaskView> history = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      history.add(stoppedTask(i, 120 - i, Optional.of(2), "Essential container in task exited"));
    }
    assertThat(withHistory(history).reconcile().action()).isEqualTo(Action.LAUNCHED);

    launcher.stopAll();
    history.add(stoppedTask(4, 90, Optional.empty(), "CannotPullContainerError: not found"));
    TriggerReport r = withHistory(history).reconcile();
    assertThat(r.action()).isEqualTo(Action.HELD); // 4 in a row: 2 minutes after the last
    assertThat(r.reason()).contains("not started").contains("CannotPullContainerError");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"exit 1 is a failure that may pass,1,3", "two in a row are not a loop,2,2"})
  void otherStopsDoNotHoldLaunchesBack(String why, int exitCode, int count) {
    List<TaskView> history = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      history.add(stoppedTask(i, 30 - i, Optional.of(exitCode), "Essential container exited"));
    }

    assertThat(withHistory(history).reconcile().action()).as(why).isEqualTo(Action.LAUNCHED);
  }
}
