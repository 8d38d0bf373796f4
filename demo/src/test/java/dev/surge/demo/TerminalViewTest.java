package dev.surge.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalViewTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TaskView task(String id, TaskState state, Integer exit) {
    return new TaskView(
        id,
        id,
        state,
        T0,
        exit == null ? Optional.empty() : Optional.of(T0.plusSeconds(9)),
        Optional.ofNullable(exit),
        exit == null ? Optional.empty() : Optional.of("Essential container in task exited"));
  }

  private static void run(EventLog log) {
    log.publish(new PipelineEvent.Produced(T0.plusSeconds(1), 1100, 1100));
    log.publish(
        new PipelineEvent.AlarmChanged(
            T0.plusSeconds(3), "backlog", AlarmState.OK, AlarmState.ALARM, "crossed", 100));
    log.publish(
        new PipelineEvent.TriggerDecided(
            T0.plusSeconds(3), "notification", "launched", 1100, 0, 4, 4, List.of(), ""));
    log.publish(
        new PipelineEvent.TaskChanged(
            T0.plusSeconds(3), task("task-0001", TaskState.PROVISIONING, null), 0));
    log.publish(new PipelineEvent.QueueSampled(T0.plusSeconds(4), new QueueDepth(600, 100, 0), 0));
    log.publish(new PipelineEvent.ItemsCounted(T0.plusSeconds(4), 400));
    log.publish(
        new PipelineEvent.TaskChanged(
            T0.plusSeconds(9), task("task-0001", TaskState.STOPPED, 0), 1100));
  }

  @Test
  @SuppressWarnings("try") // the view only needs closing
  void messagesFromAnotherToolAreOneLineASecondAndTheLastCountIsShown() {
    StringWriter text = new StringWriter();
    EventLog log = new EventLog(1000);
    try (TerminalView view = new TerminalView(log, new PrintWriter(text, true), false, T0)) {
      // 110 requests of 10 over 2.2 s, each counted as it arrives (sent == target: no goal)
      for (int i = 1; i <= 110; i++) {
        log.publish(new PipelineEvent.Produced(T0.plusMillis(20L * i), 10L * i, 10L * i));
      }
    }
    List<String> lines = text.toString().lines().filter(l -> l.contains("producer: sent")).toList();
    assertThat(lines)
        .containsExactly(
            "[   0.0s] producer: sent 10 messages",
            "[   1.0s] producer: sent 510 messages",
            "[   2.0s] producer: sent 1010 messages",
            "[   2.2s] producer: sent 1100 messages");
  }

  @Test
  @SuppressWarnings("try") // the view only needs closing
  void forLogsEachNotableEventIsOneTimedLineAndTheStatusIsPlain() {
    StringWriter text = new StringWriter();
    EventLog log = new EventLog(100);
    try (TerminalView view = new TerminalView(log, new PrintWriter(text, true), false, T0)) {
      run(log);
    }
    assertThat(text.toString())
        .contains("[   1.0s] producer: sent 1100 messages")
        .contains("[   3.0s] alarm backlog: OK -> ALARM (crossed)")
        .contains(
            "function (notification): launched - backlog 1100, running 0, desired 4, started 4")
        .contains("[   3.0s] task task-0001: PROVISIONING")
        .contains(
            "[   9.0s] task task-0001: STOPPED exit 0, 1100 items, Essential container in task exited")
        .doesNotContain("\r")
        .doesNotContain("\033[");
  }

  @Test
  @SuppressWarnings("try") // the view only needs closing
  void onATerminalTheStatusLineIsRedrawnInPlaceWithinEightyColumns() {
    StringWriter text = new StringWriter();
    EventLog log = new EventLog(100);
    try (TerminalView view =
        new TerminalView(log, new PrintWriter(text, true), true, T0, () -> 80)) {
      run(log);
      await().atMost(Duration.ofSeconds(5)).until(() -> text.toString().contains("\r\033[K["));
    }
    String status =
        text.toString().substring(text.toString().lastIndexOf("\r\033[K[") + 4).split("[\r\n]")[0];
    assertThat(status).startsWith("[####").contains("400/1100").contains("ALARM");
    assertThat(status.length()).isLessThan(80);
  }

  @Test
  @SuppressWarnings("try") // the view only needs closing
  void theStatusLineFitsAnyWidthWithoutCuttingAWord() {
    EventLog log = new EventLog(100);
    try (TerminalView view =
        new TerminalView(log, new PrintWriter(new StringWriter(), true), true, T0, () -> 80)) {
      run(log);
      await().atMost(Duration.ofSeconds(5)).until(() -> view.fit(200).contains("400/1100"));
      for (int width = 8; width <= 200; width++) {
        String line = view.fit(width);
        assertThat(line.length()).as("width %d: %s", width, line).isLessThanOrEqualTo(width);
        if (width >= 30) {
          assertThat(line).as("width %d", width).contains("400/1100");
        }
      }
      // Wide: the whole sentence; 60 columns: the short form with the tasks; 120: all of it.
      assertThat(view.fit(200)).contains("queue", "visible", "in flight", "DLQ", "alarm ALARM");
      assertThat(view.fit(59)).contains("tasks").doesNotEndWith(" ");
      assertThat(view.fit(119)).contains("ALARM").contains("DLQ");
      // Parts are dropped whole: every word shown at any width is a whole word of the full forms.
      String full = view.fit(200);
      java.util.Set<String> whole = new java.util.HashSet<>();
      whole.addAll(List.of(full.split("\\s+")));
      whole.addAll(List.of(view.fit(full.length() - 1).split("\\s+")));
      for (int width = 30; width <= 200; width++) {
        assertThat(whole)
            .as("width %d: %s", width, view.fit(width))
            .contains(view.fit(width).split("\\s+"));
      }
    }
    assertThat(TerminalWidth.parse("132")).isEqualTo(132);
    assertThat(TerminalWidth.parse("wide")).isEqualTo(80);
    assertThat(TerminalWidth.parse(null)).isEqualTo(80);
  }
}
