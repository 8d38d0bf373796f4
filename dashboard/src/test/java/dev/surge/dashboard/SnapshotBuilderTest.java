package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.EventLog.Sequenced;
import dev.surge.core.port.TaskState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding events into the state the page opens with. */
class SnapshotBuilderTest {
  private final SnapshotBuilder builder = new SnapshotBuilder("local", ResourceNames.seed());
  private long sequence;

  private void fold(dev.surge.core.observe.PipelineEvent... events) {
    for (var e : events) {
      builder.accept(new Sequenced(++sequence, e));
    }
  }

  @Test
  void beforeAnyEventTheAlarmHasInsufficientDataAndNothingIsCounted() {
    Snapshot s = builder.snapshot();
    assertThat(s.lastSequence()).isZero();
    assertThat(s.firstEventAt()).isEmpty();
    assertThat(s.alarm().state()).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThat(s.alarm().name()).isEqualTo(ResourceNames.seed().alarm());
    assertThat(s.alarm().threshold()).isEmpty();
    assertThat(s.items()).isZero();
    assertThat(s.tasks()).isEmpty();
    assertThat(s.tasksByState())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(TaskState.PROVISIONING, 0, TaskState.RUNNING, 0, TaskState.STOPPED, 0));
    assertThat(s.finished()).isFalse();
  }

  @Test
  void keepsTheLastSampleOfEachCounter() {
    fold(
        Events.produced(1, 400),
        Events.queue(1, 400, 0),
        Events.produced(2, 1100),
        Events.queue(2, 1000, 100),
        Events.items(3, 10),
        Events.items(4, 250));
    Snapshot s = builder.snapshot();
    assertThat(s.produced()).isEqualTo(1100);
    assertThat(s.target()).isEqualTo(1100);
    assertThat(s.queue().visible()).isEqualTo(1000);
    assertThat(s.queue().inFlight()).isEqualTo(100);
    assertThat(s.queue().sampledAt()).contains(Events.at(2));
    assertThat(s.items()).isEqualTo(250);
    assertThat(s.lastSequence()).isEqualTo(6);
    assertThat(s.firstEventAt()).contains(Events.at(1));
    assertThat(s.lastEventAt()).contains(Events.at(4));
  }

  @Test
  void alarmTakesEachChangeAndCountsThem() {
    fold(
        Events.alarm(1, AlarmState.INSUFFICIENT_DATA, AlarmState.OK),
        Events.alarm(5, AlarmState.OK, AlarmState.ALARM));
    Snapshot.Alarm a = builder.snapshot().alarm();
    assertThat(a.state()).isEqualTo(AlarmState.ALARM);
    assertThat(a.threshold()).hasValue(100.0);
    assertThat(a.reason()).isEqualTo("Threshold Crossed");
    assertThat(a.changedAt()).contains(Events.at(5));
    assertThat(a.transitions()).isEqualTo(2);
  }

  @Test
  void countsDeliveredAndFailedNotificationsApart() {
    fold(Events.failed(5), Events.delivered(6), Events.delivered(70));
    Snapshot.Notifications n = builder.snapshot().notifications();
    assertThat(n.delivered()).isEqualTo(2);
    assertThat(n.failed()).isEqualTo(1);
    assertThat(n.lastAt()).contains(Events.at(70));
  }

  @Test
  void keepsTheLastTriggerDecision() {
    fold(Events.launched(6));
    assertThat(builder.snapshot().lastTrigger())
        .hasValueSatisfying(t -> assertThat(t.started()).isEqualTo(4));
  }

  @Test
  void tracksEachTaskByIdInOrderOfAppearanceAndCountsStates() {
    fold(
        Events.task(6, "a", TaskState.PROVISIONING, 0),
        Events.task(6, "b", TaskState.PROVISIONING, 0),
        Events.task(8, "b", TaskState.RUNNING, 0),
        Events.task(9, "a", TaskState.RUNNING, 0),
        Events.task(20, "a", TaskState.STOPPED, 600));
    Snapshot s = builder.snapshot();
    assertThat(s.tasks()).extracting(t -> t.view().taskId()).containsExactly("a", "b");
    assertThat(s.tasks().get(0).view().state()).isEqualTo(TaskState.STOPPED);
    assertThat(s.tasks().get(0).view().exitCode()).contains(0);
    assertThat(s.tasks().get(0).itemsWritten()).isEqualTo(600);
    assertThat(s.tasksByState())
        .containsEntry(TaskState.RUNNING, 1)
        .containsEntry(TaskState.STOPPED, 1)
        .containsEntry(TaskState.PROVISIONING, 0);
  }

  @Test
  void aLaterReportWithoutItemsDoesNotHideTheCount() {
    fold(Events.task(20, "a", TaskState.STOPPED, 600), Events.task(21, "a", TaskState.STOPPED, 0));
    assertThat(builder.snapshot().tasks().get(0).itemsWritten()).isEqualTo(600);
  }

  @Test
  void summaryFinishesTheRun() {
    fold(Events.note(1, "info", "start"), Events.finished(30));
    Snapshot s = builder.snapshot();
    assertThat(s.finished()).isTrue();
    assertThat(s.summary()).contains(Events.summary());
  }

  @Test
  void replayedEventsAreNotCountedTwice() {
    builder.accept(new Sequenced(1, Events.delivered(5)));
    builder.accept(new Sequenced(2, Events.delivered(6)));
    builder.accept(new Sequenced(2, Events.delivered(6)));
    builder.accept(new Sequenced(1, Events.delivered(5)));
    assertThat(builder.snapshot().notifications().delivered()).isEqualTo(2);
    assertThat(builder.snapshot().lastSequence()).isEqualTo(2);
  }

  @Test
  void subscribedToALogItSeesWhatTheLogKeptAndWhatFollows() {
    EventLog log = new EventLog(100);
    log.publish(Events.items(1, 5));
    log.subscribe(0, builder);
    log.publish(Events.items(2, 9));
    assertThat(builder.snapshot().items()).isEqualTo(9);
    assertThat(builder.lastSequence()).isEqualTo(2);
  }
}
