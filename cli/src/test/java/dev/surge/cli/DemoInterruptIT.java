package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C at a terminal: the terminal sends SIGINT to the whole foreground process group, so the
 * demo's children (dynalite, the worker JVMs) get it too, not only the demo's JVM.
 */
class DemoInterruptIT {
  private static final Path JAR = Path.of("target", "surge.jar");
  private static final int MESSAGES = 20_000;

  /**
   * How soon after the signal the summary must be out: within the tasks' stop timeout (30 s), past
   * which the launcher would have had to SIGKILL a task that did not stop on the signal. On a quiet
   * machine it takes one to two seconds; the time is printed, not held to that, since build
   * machines are shared (a full suite on two cores once took 22 s here).
   */
  private static final Duration SUMMARY_WITHIN = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void ctrlCToTheWholeProcessGroupStillPrintsASummaryThatAccountsForEveryMessage()
      throws Exception {
    Path log = dir.resolve("demo.log");
    List<String> cmd = new ArrayList<>();
    // Its own session and process group, as a shell gives a foreground job, and SIGINT handled
    // as at a terminal: a build started in the background of a non-interactive shell hands its
    // children SIGINT ignored, which the JVM then honours.
    cmd.addAll(List.of("setsid", "env", "--default-signal=INT"));
    cmd.addAll(SurgeJar.command());
    cmd.addAll(
        List.of(
            "demo",
            "--messages",
            Integer.toString(MESSAGES),
            "--no-dashboard",
            "--alarm-period",
            "2",
            // Still producing when the signal comes, as at full speed, without the producer and
            // the queue spending the machine's CPU on thousands of messages before it.
            "--rate",
            "100",
            // Three tasks show the stop as well as ten, and start sooner on a busy machine.
            "--max-tasks",
            "3",
            "--logs",
            dir.resolve("tasks").toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    Process p = pb.start();
    Map<Long, ProcessHandle> children = new LinkedHashMap<>();
    long group = p.pid();
    try {
      // setsid makes the process the leader of a new group before it runs java in it.
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (processGroup(p.pid()) != p.pid() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(processGroup(p.pid())).as("the demo leads its own process group").isEqualTo(group);
      // Mid-drain: tasks running and items being written.
      Pattern progress = Pattern.compile("\\] +\\[[^\\]]*\\] +([1-9]\\d*)/" + MESSAGES + " items");
      long deadline = System.nanoTime() + Duration.ofSeconds(420).toNanos();
      while (!progress.matcher(Files.readString(log)).find()) {
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(System.nanoTime() < deadline).as(Files.readString(log)).isTrue();
        Thread.sleep(200);
      }
      p.toHandle().descendants().forEach(h -> children.put(h.pid(), h));
      assertThat(children.values().stream().map(h -> h.info().command().orElse("")))
          .as("dynalite and the workers")
          .anyMatch(c -> c.endsWith("node"))
          .anyMatch(c -> c.endsWith("java"));

      long signalled = System.nanoTime();
      kill("-INT", group);
      long summaryAt = -1;
      while (System.nanoTime() - signalled < Duration.ofSeconds(60).toNanos()) {
        if (summaryAt < 0 && Files.readString(log).contains("Summary")) {
          summaryAt = System.nanoTime();
        }
        if (!p.isAlive() && summaryAt >= 0) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(log);
      assertThat(summaryAt).as(out).isPositive();
      Duration took = Duration.ofNanos(summaryAt - signalled);
      System.out.printf(
          "summary %d ms after SIGINT to the group; what the demo printed from then on:%n%s%n",
          took.toMillis(), fromSignal(out));
      assertThat(took)
          .as("summary %s after SIGINT to the group:%n%s", took, out)
          .isLessThan(SUMMARY_WITHIN);
      assertThat(p.exitValue()).as(out).isEqualTo(130);
      assertThat(out)
          .contains("stopped before the end; what ran so far:")
          .containsPattern("unaccounted +0 +\\(every message accounted for\\)")
          .doesNotContain("Connection refused")
          .doesNotContain("MESSAGES LOST");
      long produced = figure(out, "produced");
      long inTable = figure(out, "in table");
      long dead = figure(out, "in dead-letter queue");
      long left = figure(out, "left in the queue");
      assertThat(inTable).as(out).isPositive();
      assertThat(produced).as(out).isPositive().isEqualTo(inTable + dead + left);

      // Nothing it started is left: dynalite and every worker, by PID.
      for (ProcessHandle c : children.values()) {
        c.onExit().get(10, TimeUnit.SECONDS);
        assertThat(c.isAlive()).as("process %d started by the demo", c.pid()).isFalse();
      }
    } finally {
      if (p.isAlive()) {
        kill("-KILL", group);
      }
      for (ProcessHandle c : children.values()) {
        c.destroyForcibly();
      }
    }
  }

  /** The demo's output from a few lines before its {@code stopping:} line on, or all of it. */
  private static String fromSignal(String out) {
    List<String> lines = out.lines().toList();
    int at = 0;
    while (at < lines.size() && !lines.get(at).startsWith("stopping:")) {
      at++;
    }
    return at == lines.size()
        ? out
        : String.join("\n", lines.subList(Math.max(0, at - 5), lines.size()));
  }

  private static long figure(String out, String name) {
    Matcher m = Pattern.compile("\\n  " + Pattern.quote(name) + " +(\\d+)").matcher(out);
    assertThat(m.find()).as("'%s' in%n%s", name, out).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static void kill(String signal, long group) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", signal, "--", "-" + group).inheritIO().start();
    assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** The process group of {@code pid}: the fifth field of /proc/PID/stat. */
  private static long processGroup(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(after[2]);
  }
}
