package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.dashboard.browser.DashboardBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code surge demo} as a user runs it: the packaged jar, real workers, a real browser. */
class DemoIT {
  private static final Path JAR = Path.of("target", "surge.jar");

  @TempDir Path dir;

  private Process demo(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.add("demo");
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    return pb.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void theSeedsDemoAccountsForEveryMessageAcrossTheSeedsFourTasks() throws Exception {
    Path log = dir.resolve("demo.log");
    Process p = demo(log, "--no-dashboard", "--alarm-period", "2", "--idle", "3");
    List<ProcessHandle> children = new ArrayList<>();
    while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
      p.toHandle().descendants().forEach(children::add);
      assertThat(children.size()).isLessThan(10_000);
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        // OK first when the alarm's first period ends before the producer's first message.
        .containsPattern("alarm fasttrack-saa-backlog: (INSUFFICIENT_DATA|OK) -> ALARM")
        // The function reads the backlog when the notification arrives; SQS counts are
        // approximate, and the producer may still be sending, so only the decision is fixed.
        .containsPattern("launched - backlog 1[01]\\d\\d, running 0, desired 4, started 4")
        .containsPattern("produced +1100")
        .containsPattern("in table +1100")
        .containsPattern("unaccounted +0");
    Matcher launched = Pattern.compile("tasks launched +(\\d+)").matcher(out);
    assertThat(launched.find()).isTrue();
    assertThat(Integer.parseInt(launched.group(1))).isEqualTo(4);
    Matcher hosts = Pattern.compile("task-\\d{4} +(\\d+) items").matcher(out);
    int withItems = 0;
    while (hosts.find()) {
      withItems += Integer.parseInt(hosts.group(1)) > 0 ? 1 : 0;
    }
    assertThat(withItems).as("hosts with items").isGreaterThanOrEqualTo(2);
    // Everything the demo started stopped with it: dynalite and every worker process.
    assertThat(children).isNotEmpty();
    for (ProcessHandle c : children) {
      c.onExit().get(10, TimeUnit.SECONDS);
      assertThat(c.isAlive()).as("process %d started by the demo", c.pid()).isFalse();
    }
  }

  @Test
  void theDashboardShowsTheRunLiveInARealBrowser() throws Exception {
    int port = freePort();
    Path log = dir.resolve("demo-dashboard.log");
    Process p =
        demo(
            log,
            "--dashboard-port",
            "" + port,
            "--keep-open",
            "--alarm-period",
            "2",
            "--idle",
            "3");
    try (DashboardBrowser browser = DashboardBrowser.start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.readString(log).contains("Dashboard:") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      browser.open(URI.create("http://127.0.0.1:" + port + "/"));
      Set<String> alarmStates = new HashSet<>();
      Set<String> itemCounts = new HashSet<>();
      deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (System.nanoTime() < deadline) {
        alarmStates.add(browser.text("alarm-state"));
        itemCounts.add(browser.text("items-count"));
        if (itemCounts.contains("1,100") && alarmStates.contains("ALARM")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(alarmStates).as("alarm states shown").contains("ALARM");
      assertThat(itemCounts).as("item counts shown").contains("1,100");
      assertThat(itemCounts.size()).as("the count rose through several values").isGreaterThan(2);
      browser.waitForText("summary-unaccounted", t -> t.equals("0"), "0", Duration.ofSeconds(120));
      Path shots = Path.of(System.getProperty("surge.screenshots", "target/screenshots"));
      browser.screenshot(shots.resolve("demo-dashboard.png"));
      assertThat(Files.size(shots.resolve("demo-dashboard.png"))).isGreaterThan(10_000);
      assertThat(browser.consoleErrors()).isEmpty();
    } finally {
      p.destroy();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(log)).containsPattern("unaccounted +0");
  }
}
