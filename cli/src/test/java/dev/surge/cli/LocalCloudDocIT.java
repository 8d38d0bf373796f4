package dev.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocks of {@code docs/local-cloud.md} run exactly as written against one {@code ./surge up}
 * on its default ports. First the section "Using the local cloud from other tools": {@code ./surge
 * up} in the background, then every other line in one bash from the repository root, with no AWS
 * variable but the ones the lines export. Then, once that block's burst is done, the section "Watch
 * the chain with the aws CLI" as its reader pastes it: the {@code export} lines {@code surge up}
 * printed, then the block, in one bash from the repository root; what each command shows is
 * checked.
 */
class LocalCloudDocIT {
  private static final Path ROOT = DocPages.ROOT;
  private static final String CLUSTER = "FastTrack-Saa-Sqs-demo";
  private static final Pattern EXPORT = Pattern.compile("(?m)^\\s+(export AWS_\\w+=\\S+)$");
  private static final Pattern BURST_DONE =
      Pattern.compile(
          "A burst of \\d+ message\\(s\\) is done:\\s+Summary\\s+.*\\s+in table\\s+(\\d+)\\n"
              + "(?s).*?\\n  tasks launched\\s+(\\d+)\\n");
  private static final Pattern RUNNING =
      Pattern.compile(
          "(?m)^TASKARNS\tarn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/task-(\\d{4})$");
  private static final Pattern STARTED = Pattern.compile("\"started\":(\\d+),");
  private static final Pattern STOPPED =
      Pattern.compile("\"arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/task-(\\d{4})\"");

  @TempDir Path dir;

  @Test
  void theBlocksRunAsWritten() throws Exception {
    List<String> lines =
        DocPages.codeBlock("docs/local-cloud.md", "## Using the local cloud from other tools");
    List<String> watch =
        DocPages.codeBlock("docs/local-cloud.md", "## Watch the chain with the aws CLI");
    assertThat(lines.get(0)).startsWith("./surge up ");
    Path upLog = dir.resolve("up.log");
    ProcessBuilder up =
        new ProcessBuilder("bash", "-c", "exec ./surge up").directory(ROOT.toFile());
    up.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    // The JVM flags the other tests give surge (SurgeJar): the lines stay as written.
    up.environment().put("SURGE_JAVA_OPTS", SurgeJar.javaOptions());
    Process cloud = up.redirectErrorStream(true).redirectOutput(upLog.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(upLog).contains("Then, for example")) {
        assertThat(cloud.isAlive()).as(Files.readString(upLog)).isTrue();
        assertThat(System.nanoTime()).as("up within 120 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      // What surge up printed is what the page shows.
      for (String line : lines) {
        if (line.startsWith("export AWS_ENDPOINT_URL") || line.startsWith("export AWS_REGION")) {
          assertThat(Files.readString(upLog)).contains(line.substring("export ".length()));
        }
      }
      String out = bash(String.join("\n", lines.subList(1, lines.size())), 300, "-e");
      assertThat(out)
          .contains("sent 1100 of 1100 messages")
          .contains("\"MessageId\"")
          .contains("queue demo-decoupling-saa")
          .contains("\"Count\"");

      // The second block is pasted once that burst is done, as its page says.
      Matcher burst = firstBurst(cloud, upLog);
      long inTable = Long.parseLong(burst.group(1));
      int launched = Integer.parseInt(burst.group(2));
      List<String> exports = new ArrayList<>();
      Matcher m = EXPORT.matcher(Files.readString(upLog));
      while (m.find()) {
        exports.add(m.group(1));
      }
      assertThat(exports).anyMatch(e -> e.startsWith("export AWS_ENDPOINT_URL="));
      List<String> script = new ArrayList<>(exports);
      script.addAll(watch);
      // -x traces each command before its output, so each output is checked apart.
      String shown = bash(String.join("\n", script), 300, "-e", "-x");
      try {
        checkWatch(shown, inTable, launched);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n\nThe block printed:\n" + shown, e);
      }
    } finally {
      cloud.destroy();
      assertThat(cloud.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<ProcessHandle> left = new ArrayList<>(cloud.descendants().toList());
      assertThat(left).as("nothing of surge up left").isEmpty();
    }
  }

  /**
   * What each command of the watch block showed ({@code shown}, traced by bash -x), the first
   * block's burst having put {@code inTable} items in the table with {@code launched} tasks.
   */
  private static void checkWatch(String shown, long inTable, int launched) {
    List<Shown> cmds = commands(shown);

    assertThat(printed(cmds, c -> c.equals("./surge produce"), "produce"))
        .contains("sent 1100 of 1100 messages");
    // The first wait's grep printed the tasks running when it ended: this burst's.
    List<Integer> running = new ArrayList<>();
    Matcher r = RUNNING.matcher(shown);
    while (r.find()) {
      running.add(Integer.parseInt(r.group(1)));
    }
    assertThat(running).as("the tasks while they run").isNotEmpty().allMatch(n -> n > launched);
    assertThat(printed(cmds, c -> c.startsWith("aws cloudwatch describe-alarms "), "alarm"))
        .matches("(OK|ALARM)\t.+\n");
    String history =
        printed(cmds, c -> c.startsWith("aws cloudwatch describe-alarm-history "), "history");
    assertThat(count(history, " to ALARM"))
        .as("a change to ALARM for each block's burst: %s", history)
        .isGreaterThanOrEqualTo(2);
    assertThat(printed(cmds, c -> c.startsWith("aws sns list-subscriptions-by-topic "), "sns"))
        .contains("\"Protocol\": \"lambda\"")
        .contains("\"Endpoint\": \"arn:aws:lambda:us-east-1:000000000000:function:fasttrack-saa\"");
    assertThat(printed(cmds, c -> c.startsWith("aws lambda get-function "), "function"))
        .contains("\"Handler\": \"dev.surge.trigger.TriggerHandler::handleRequest\"");
    String decisions = printed(cmds, c -> c.startsWith("aws logs filter-log-events "), "decisions");
    assertThat(decisions.lines())
        .isNotEmpty()
        .allMatch(l -> l.startsWith("SURGE_TRIGGER_DECISION {"))
        .allMatch(l -> l.contains("\"action\":\"launched\""));
    int started = 0;
    Matcher d = STARTED.matcher(decisions);
    while (d.find()) {
      started += Integer.parseInt(d.group(1));
    }
    assertThat(started)
        .as("the decisions started the tasks seen running, and those before: %s", decisions)
        .isGreaterThanOrEqualTo(running.stream().mapToInt(n -> n).max().orElseThrow());
    // The second wait ended when none of them ran any more.
    List<Integer> stopped = new ArrayList<>();
    Matcher st =
        STOPPED.matcher(
            printed(cmds, c -> c.endsWith(" --desired-status STOPPED"), "the stopped tasks"));
    while (st.find()) {
      stopped.add(Integer.parseInt(st.group(1)));
    }
    assertThat(stopped).as("the tasks after").contains(1).containsAll(running);
    assertThat(printed(cmds, c -> c.startsWith("aws ecs describe-tasks "), "task-0001"))
        .isEqualTo("STOPPED\tEssentialContainerExited\t0\n");
    assertThat(printed(cmds, c -> c.startsWith("aws logs get-log-events "), "its log").lines())
        .anyMatch(l -> l.startsWith("SURGE_WORKER_READY {\"taskId\":\"task-0001\""))
        .anyMatch(
            l ->
                l.startsWith("SURGE_WORKER_SUMMARY {\"taskId\":\"task-0001\"")
                    && l.contains("\"outcome\":\"DRAINED\""));
    assertThat(printed(cmds, c -> c.startsWith("aws dynamodb scan "), "count"))
        .as("1100 more than the first burst's %d", inTable)
        .contains("\"Count\": " + (inTable + 1100) + ",");
  }

  /**
   * Waits for the summary {@code surge up} prints when a burst is done: its items in the table
   * (group 1) and the tasks it launched (group 2).
   */
  private static Matcher firstBurst(Process cloud, Path upLog)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      Matcher m = BURST_DONE.matcher(Files.readString(upLog));
      if (m.find()) {
        return m;
      }
      assertThat(cloud.isAlive()).as(Files.readString(upLog)).isTrue();
      assertThat(System.nanoTime()).as("the burst done within 120 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Runs {@code script} in bash from the repository root with no AWS or Surge variable. */
  private String bash(String script, long timeoutSeconds, String... options)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "bash", ".log");
    List<String> command = new ArrayList<>(List.of("bash"));
    command.addAll(List.of(options));
    command.addAll(List.of("-c", script));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    pb.environment().put("SURGE_JAVA_OPTS", SurgeJar.javaOptions());
    pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    // The aws CLI a version manager's shim would run, without the shim (AwsCli): the lines stay
    // as written.
    pb.environment()
        .put(
            "PATH",
            dev.surge.standins.aws.AwsCli.directory()
                + java.io.File.pathSeparator
                + pb.environment().getOrDefault("PATH", ""));
    DocPages.Run r = DocPages.run(pb, log, timeoutSeconds, "");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }

  /** A command as bash -x traced it (without the "+ ") and what it printed. */
  record Shown(String command, String output) {}

  /** The top-level commands of a bash -x run, in order, each with the lines it printed. */
  static List<Shown> commands(String traced) {
    List<Shown> out = new ArrayList<>();
    String command = null;
    StringBuilder printed = new StringBuilder();
    for (String line : traced.lines().toList()) {
      if (line.startsWith("+")) {
        if (command != null) {
          out.add(new Shown(command, printed.toString()));
        }
        // "++ ..." would be a command substitution's command, whose output the enclosing one takes.
        command = line.startsWith("+ ") ? line.substring(2) : null;
        printed.setLength(0);
      } else if (command != null) {
        printed.append(line).append('\n');
      }
    }
    if (command != null) {
      out.add(new Shown(command, printed.toString()));
    }
    return out;
  }

  /** What the one command of {@code cmds} that {@code which} accepts printed. */
  private static String printed(List<Shown> cmds, Predicate<String> which, String what) {
    List<Shown> found = cmds.stream().filter(c -> which.test(c.command())).toList();
    assertThat(found).as("one command: %s, in %s", what, cmds).hasSize(1);
    return found.get(0).output();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }
}
