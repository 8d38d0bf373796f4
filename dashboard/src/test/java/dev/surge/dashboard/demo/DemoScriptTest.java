package dev.surge.dashboard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.observe.PipelineEvent.ItemsCounted;
import dev.surge.core.observe.PipelineEvent.RunFinished;
import dev.surge.core.observe.PipelineEvent.TaskChanged;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.port.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripted run tells the seed's story, in order, and ends. */
class DemoScriptTest {
  private static List<PipelineEvent> play() {
    DemoScript script = DemoScript.seed(ResourceNames.seed());
    List<PipelineEvent> all = new ArrayList<>();
    Instant now = Instant.parse("2026-01-01T10:00:00Z");
    for (int i = 0; i < 200 && !script.finished(); i++) {
      all.addAll(script.step(now));
      now = now.plusSeconds(1);
    }
    assertThat(script.finished()).as("the script ends").isTrue();
    assertThat(script.step(now)).isEmpty();
    return all;
  }

  @Test
  void alarmGoesOkThenAlarmThenOk() {
    assertThat(
            play().stream()
                .filter(AlarmChanged.class::isInstance)
                .map(e -> ((AlarmChanged) e).to()))
        .containsExactly(AlarmState.OK, AlarmState.ALARM, AlarmState.OK);
  }

  @Test
  void itemsRiseToEveryProducedMessage() {
    List<Long> counts =
        play().stream()
            .filter(ItemsCounted.class::isInstance)
            .map(e -> ((ItemsCounted) e).items())
            .toList();
    assertThat(counts).isSortedAccordingTo(Long::compare);
    assertThat(counts.get(counts.size() - 1)).isEqualTo(1100);
    assertThat(counts).anyMatch(n -> n > 0 && n < 1100);
  }

  @Test
  void fourTasksProvisionRunAndExitZero() {
    List<PipelineEvent> events = play();
    TriggerDecided decision =
        events.stream()
            .filter(TriggerDecided.class::isInstance)
            .map(TriggerDecided.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(decision.started()).isEqualTo(4);
    List<TaskChanged> tasks =
        events.stream().filter(TaskChanged.class::isInstance).map(TaskChanged.class::cast).toList();
    assertThat(tasks).hasSize(12);
    assertThat(tasks.stream().map(t -> t.task().taskId()).distinct()).hasSize(4);
    assertThat(tasks.stream().filter(t -> t.task().state() == TaskState.STOPPED))
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.task().exitCode()).contains(0));
    long written =
        tasks.stream()
            .filter(t -> t.task().state() == TaskState.STOPPED)
            .mapToLong(TaskChanged::itemsWritten)
            .sum();
    assertThat(written).isEqualTo(1100);
  }

  @Test
  void endsWithASuccessfulSummary() {
    List<PipelineEvent> events = play();
    PipelineEvent last = events.get(events.size() - 1);
    assertThat(last).isInstanceOf(RunFinished.class);
    PipelineEvent.RunSummary s = ((RunFinished) last).summary();
    assertThat(s.success()).isTrue();
    assertThat(s.produced()).isEqualTo(1100);
    assertThat(s.inTable()).isEqualTo(1100);
    assertThat(s.unaccounted()).isZero();
    assertThat(s.tasksLaunched()).isEqualTo(4);
    assertThat(s.itemsPerHost().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1100);
    assertThat(s.timeToAlarmMillis()).isPositive();
    assertThat(s.drainMillis()).isGreaterThan(s.timeToAlarmMillis());
  }
}
