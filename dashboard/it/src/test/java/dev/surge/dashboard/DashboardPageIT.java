package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import dev.surge.dashboard.browser.DashboardBrowser;
import dev.surge.dashboard.demo.DemoScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in headless Chromium while a scripted run is published live, step by step: after each
 * step the test waits until the page has shown every event so far, then reads what it shows.
 */
class DashboardPageIT {
  private static final Duration STEP_WAIT = Duration.ofSeconds(5);
  private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");

  private static DashboardBrowser browser;

  @BeforeAll
  static void startBrowser() {
    browser = DashboardBrowser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static Path screenshots() {
    return Path.of(System.getProperty("surge.dashboard.screenshots", "target/screenshots"));
  }

  private static long digits(String shown) {
    return Long.parseLong(shown.replaceAll("[^0-9]", ""));
  }

  @Test
  void followsALiveRunFromAnEmptyPageToItsSummary() throws Exception {
    EventLog log = new EventLog(10_000);
    DashboardOptions options = DashboardOptions.defaults().withPort(0).withTarget("demo feed");
    try (DashboardServer server = new DashboardServer(log, options).start()) {
      browser.open(server.uri());
      browser.waitForText("connection", "live", STEP_WAIT);
      assertThat(browser.text("alarm-state")).isEqualTo("INSUFFICIENT_DATA");
      assertThat(browser.attribute("summary", "data-state")).isEqualTo("pending");

      DemoScript script = DemoScript.seed(ResourceNames.seed());
      List<String> alarmStates = new ArrayList<>(List.of(browser.text("alarm-state")));
      List<Long> itemCounts = new ArrayList<>();
      Duration slowest = Duration.ZERO;
      boolean tookRunningShot = false;
      Instant now = START;
      while (!script.finished()) {
        List<PipelineEvent> step = script.step(now);
        step.forEach(log::publish);
        long last = server.snapshot().lastSequence();
        long sent = System.nanoTime();
        browser.waitForText("last-sequence", String.valueOf(last), STEP_WAIT);
        Duration shownAfter = Duration.ofNanos(System.nanoTime() - sent);
        slowest = shownAfter.compareTo(slowest) > 0 ? shownAfter : slowest;

        String alarm = browser.text("alarm-state");
        if (alarmStates.isEmpty() || !alarmStates.get(alarmStates.size() - 1).equals(alarm)) {
          alarmStates.add(alarm);
        }
        itemCounts.add(digits(browser.text("items-count")));
        if (!tookRunningShot && "4".equals(browser.text("tasks-running"))) {
          browser.screenshot(screenshots().resolve("dashboard-running.png"));
          tookRunningShot = true;
        }
        now = now.plusSeconds(1);
      }

      assertThat(alarmStates).containsExactly("INSUFFICIENT_DATA", "OK", "ALARM", "OK");
      assertThat(itemCounts).isSortedAccordingTo(Long::compare);
      assertThat(itemCounts).anyMatch(n -> n > 0 && n < 1100);
      assertThat(itemCounts.get(itemCounts.size() - 1)).isEqualTo(1100);
      assertThat(digits(browser.text("produced-count"))).isEqualTo(1100);
      assertThat(digits(browser.text("items-produced"))).isEqualTo(1100);
      assertThat(browser.attribute("items-count", "data-value")).isEqualTo("1100");
      assertThat(tookRunningShot).as("the page showed 4 running tasks").isTrue();
      assertThat(slowest).as("slowest step to reach the page").isLessThan(Duration.ofSeconds(1));

      browser.waitForAttribute("summary", "data-state", "shown"::equals, "shown", STEP_WAIT);
      assertThat(browser.text("summary-verdict")).isEqualTo("All 1,100 messages accounted for");
      assertThat(browser.text("summary-in-table")).isEqualTo("1,100");
      assertThat(browser.text("summary-tasks")).isEqualTo("4");
      assertThat(browser.text("tasks-stopped")).isEqualTo("4");
      assertThat(browser.text("queue-visible")).isEqualTo("0");
      assertThat(browser.text("notifications-delivered")).isEqualTo("1");
      assertThat(browser.text("trigger-action")).isEqualTo("launched 4");
      assertThat(browser.text("alarm-threshold")).isEqualTo("> 100");
      assertThat(browser.text("event-log")).contains("Alarm OK → ALARM", "Run finished");
      assertThat(browser.text("summary-bill-total")).matches("\\$0\\.\\d{6}");
      assertThat(browser.text("summary-bill-per-1000")).contains("per 1,000 messages");
      assertThat(browser.text("summary-bill-lines"))
          .contains("Fargate", "4 task(s)", "SQS", "DynamoDB", "1,100 write request units")
          .contains("Lambda", "SNS", "CloudWatch alarm");
      assertThat(browser.text("summary-bill-basis")).contains("us-east-1 list prices of");

      assertThat(browser.consoleErrors()).isEmpty();

      // A page opened after the run shows the same end state, from the snapshot and history.
      browser.open(server.uri());
      browser.waitForAttribute("summary", "data-state", "shown"::equals, "shown", STEP_WAIT);
      assertThat(browser.text("items-count")).isEqualTo("1,100");
      assertThat(browser.text("alarm-state")).isEqualTo("OK");
      assertThat(browser.text("tasks-stopped")).isEqualTo("4");
      assertThat(browser.text("event-log")).contains("Alarm OK → ALARM", "Run finished");
      assertThat(browser.consoleErrors()).isEmpty();
      // Taken from the reopened page: it carries no highlight of the last events.
      Path shot = browser.screenshot(screenshots().resolve("dashboard.png"));
      assertThat(Files.size(shot)).isGreaterThan(10_000);
    }
  }

  @Test
  void aRunsSummaryRedrawsTheRateFromTheItemsOwnWriteTimes() throws Exception {
    EventLog log = new EventLog(1_000);
    DashboardOptions options = DashboardOptions.defaults().withPort(0).withTarget("demo feed");
    try (DashboardServer server = new DashboardServer(log, options).start()) {
      browser.open(server.uri());
      browser.waitForText("connection", "live", STEP_WAIT);
      // The counts find 1,100 items three seconds apart: the samples can only say 1,100 / 3 s.
      List.of(Events.items(58, 0), Events.items(59, 0), Events.items(62, 1100))
          .forEach(log::publish);
      browser.waitForText(
          "last-sequence", String.valueOf(server.snapshot().lastSequence()), STEP_WAIT);
      assertThat(browser.attribute("chart-rate", "data-peak")).isEqualTo("366.7");
      // The items themselves were written within one second (500 at 60 s, 600 at 61 s).
      PipelineEvent.RunFinished finished = Events.finished(63);
      log.publish(finished);
      browser.waitForAttribute("summary", "data-state", "shown"::equals, "shown", STEP_WAIT);
      String peak = String.valueOf(finished.summary().writeRate().peak());
      assertThat(peak).isEqualTo("1100.0");
      assertThat(browser.attribute("chart-rate", "data-peak")).isEqualTo("1100");
      // A page opened afterwards draws the same line from the history.
      browser.open(server.uri());
      browser.waitForAttribute("summary", "data-state", "shown"::equals, "shown", STEP_WAIT);
      assertThat(browser.attribute("chart-rate", "data-peak")).isEqualTo("1100");
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }

  @Test
  void aServerThatStopsRightAfterTheRunLeavesItsEndOnThePage() throws Exception {
    // As surge demo without --keep-open: the summary is published, then the dashboard stops. The
    // page shows the server's state, sent on the stream after the last events, not fetched.
    EventLog log = new EventLog(1_000);
    DashboardOptions options = DashboardOptions.defaults().withPort(0).withTarget("demo feed");
    DashboardServer server = new DashboardServer(log, options).start();
    try {
      browser.open(server.uri());
      browser.waitForText("connection", "live", STEP_WAIT);
      log.publish(Events.items(60, 1100));
      log.publish(Events.finished(63));
    } finally {
      server.close();
    }
    browser.waitForAttribute("summary", "data-state", "shown"::equals, "shown", STEP_WAIT);
    assertThat(browser.text("last-sequence")).isEqualTo("2");
    assertThat(browser.text("items-count")).isEqualTo("1,100");
    assertThat(browser.text("event-log")).contains("Run finished");
    // Leave no page behind that keeps reconnecting (and logging so) into the next test.
    browser.driver().get("about:blank");
    browser.consoleErrors();
  }

  @Test
  void aProducerThatSendsOneMessagePerCallKeepsTheChainInTheEventsList() throws Exception {
    EventLog log = new EventLog(10_000);
    DashboardOptions options = DashboardOptions.defaults().withPort(0).withTarget("demo feed");
    try (DashboardServer server = new DashboardServer(log, options).start()) {
      browser.open(server.uri());
      browser.waitForText("connection", "live", STEP_WAIT);
      log.publish(Events.alarm(0, AlarmState.INSUFFICIENT_DATA, AlarmState.OK));
      // As a producer of another maker is told: sent = target, once per message sent.
      for (int n = 1; n <= 150; n++) {
        log.publish(new PipelineEvent.Produced(Events.at(1 + n / 10), n, n));
      }
      log.publish(Events.alarm(16, AlarmState.OK, AlarmState.ALARM));
      log.publish(Events.delivered(16));
      log.publish(Events.launched(17));
      log.publish(Events.task(18, "task-1", TaskState.PROVISIONING, 0));
      for (int n = 151; n <= 300; n++) {
        log.publish(new PipelineEvent.Produced(Events.at(16 + (n - 150) / 10), n, n));
      }
      // Back to OK a moment after ALARM: the two labels would cover each other on one row.
      log.publish(Events.alarm(17, AlarmState.ALARM, AlarmState.OK));
      log.publish(Events.queue(120, 0, 0));
      browser.waitForText(
          "last-sequence", String.valueOf(server.snapshot().lastSequence()), STEP_WAIT);

      @SuppressWarnings("unchecked")
      List<String> lines =
          (List<String>)
              browser
                  .driver()
                  .executeScript(
                      "return [...document.querySelectorAll('[data-testid=\"event-log\"] li')]"
                          + ".map(li => li.dataset.kind + ' ' + li.textContent);");
      assertThat(lines.stream().filter(l -> l.contains("Producer sent")))
          .as("one line that counts up, not one per message: %s", lines)
          .hasSize(2)
          .anyMatch(l -> l.contains("Producer sent 300 / 300"))
          .anyMatch(l -> l.contains("Producer sent 150 / 150"));
      assertThat(lines)
          .anyMatch(l -> l.startsWith("alarm ") && l.contains("OK → ALARM"))
          .anyMatch(l -> l.startsWith("alarm ") && l.contains("ALARM → OK"))
          .anyMatch(l -> l.startsWith("notification "))
          .anyMatch(l -> l.startsWith("trigger "))
          .anyMatch(l -> l.startsWith("task "));
      // ALARM at 16 s and OK at 17 s: the second label goes on the next row.
      assertThat(browser.attribute("chart-queue", "data-marker-labels"))
          .isEqualTo("OK@0 ALARM@0 OK@1");
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }
}
