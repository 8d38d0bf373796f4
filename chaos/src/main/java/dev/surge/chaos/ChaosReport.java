package dev.surge.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.observe.Accounting;
import dev.surge.core.port.TaskView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run measured, its verdict, and the two ways it is printed.
 *
 * @param produced messages sent, poison included
 * @param poison poison messages sent
 * @param inTable items in the table
 * @param deadLetters distinct messages in the dead-letter queue
 * @param poisonInDeadLetters poison messages among them
 * @param redelivered items whose message was received more than once
 * @param maxFleet the most tasks alive at once
 * @param maxTasks the cap
 * @param tasks every task started
 * @param faults the faults injected
 * @param drained whether the queue drained before the timeout
 * @param drainSeconds first send to the queue empty and every task stopped (or the timeout)
 */
public record ChaosReport(
    long produced,
    long poison,
    long inTable,
    long deadLetters,
    long poisonInDeadLetters,
    long redelivered,
    int maxFleet,
    int maxTasks,
    List<TaskView> tasks,
    List<FaultSchedule.Injected> faults,
    boolean drained,
    double drainSeconds) {

  /**
   * What happened to each message sent, by the rule of every run: written or dead-lettered. The
   * queue is not counted: a run that did not drain fails on that, and what it left is lost.
   */
  public Accounting accounting() {
    return Accounting.of(produced, inTable, deadLetters);
  }

  /** Messages neither in the table nor in the dead-letter queue. */
  public long lost() {
    return accounting().unaccounted();
  }

  /** What failed the run; empty when it passed. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (!drained) {
      p.add("the queue did not drain before the timeout");
    }
    if (lost() != 0) {
      p.add(lost() + " message(s) neither in the table nor in the dead-letter queue");
    }
    if (deadLetters != poison || poisonInDeadLetters != poison) {
      p.add(
          "the dead-letter queue holds "
              + deadLetters
              + " message(s), "
              + poisonInDeadLetters
              + " of them poison; "
              + poison
              + " poison were sent");
    }
    if (maxFleet > maxTasks) {
      p.add("the fleet reached " + maxFleet + " tasks, above the cap of " + maxTasks);
    }
    for (FaultSchedule.Injected f : faults) {
      if (f.affected() == 0) {
        p.add(f.name() + " hit nothing: " + f.detail());
      }
    }
    if (faults.size() != FaultSchedule.FAULTS.size()) {
      List<String> missing = new ArrayList<>();
      for (int i = faults.size(); i < FaultSchedule.FAULTS.size(); i++) {
        missing.add(FaultSchedule.FAULTS.get(i).name());
      }
      p.add("not injected (the run ended first): " + String.join(", ", missing));
    }
    return p;
  }

  /** Whether nothing was lost, the fleet stayed bounded and every fault hit something. */
  public boolean passed() {
    return problems().isEmpty();
  }

  Map<String, Integer> exitCodes() {
    Map<String, Integer> codes = new TreeMap<>();
    for (TaskView t : tasks) {
      codes.merge(t.exitCode().map(String::valueOf).orElse(t.state().toString()), 1, Integer::sum);
    }
    return codes;
  }

  /** One JSON object with every figure. */
  public String toJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("passed", passed());
    o.put("produced", produced);
    o.put("poison", poison);
    o.put("inTable", inTable);
    o.put("deadLetters", deadLetters);
    o.put("poisonInDeadLetters", poisonInDeadLetters);
    o.put("lost", lost());
    o.put("maxFleet", maxFleet);
    o.put("maxTasks", maxTasks);
    o.put("tasksStarted", tasks.size());
    ObjectNode codes = o.putObject("taskExitCodes");
    exitCodes().forEach(codes::put);
    o.put("redelivered", redelivered);
    ArrayNode fs = o.putArray("faults");
    for (FaultSchedule.Injected f : faults) {
      ObjectNode n = fs.addObject();
      n.put("name", f.name());
      n.put("atSeconds", round(f.atSeconds()));
      n.put("progress", round(f.progress()));
      n.put("seconds", round(f.seconds()));
      n.put("affected", f.affected());
      n.put("detail", f.detail());
    }
    o.put("drained", drained);
    o.put("drainSeconds", round(drainSeconds));
    ArrayNode problems = o.putArray("problems");
    problems().forEach(problems::add);
    return o.toString();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** The faults, the accounting and the verdict, as the terminal shows them. */
  public void print(PrintWriter out) {
    out.printf("%nFaults%n");
    for (FaultSchedule.Injected f : faults) {
      out.printf(
          "  %-26s at %6.1f s (%3.0f%% worked through), %4.1f s: %s%n",
          f.name(), f.atSeconds(), f.progress() * 100, f.seconds(), f.detail());
    }
    out.printf("%nAccounting%n");
    out.printf(Locale.ROOT, "  produced          %,9d (%,d poison)%n", produced, poison);
    out.printf(Locale.ROOT, "  in table          %,9d%n", inTable);
    out.printf(
        Locale.ROOT, "  dead-letter queue %,9d (%,d poison)%n", deadLetters, poisonInDeadLetters);
    out.printf(Locale.ROOT, "  lost              %,9d%n", lost());
    out.printf(
        Locale.ROOT,
        "  redelivered       %,9d (items whose message was received more than once)%n",
        redelivered);
    out.printf("  largest fleet     %9d of at most %d%n", maxFleet, maxTasks);
    out.printf("  tasks started     %9d (exit codes %s)%n", tasks.size(), exitCodes());
    out.printf(
        "  drain time        %9.1f s (first send to queue empty and every task stopped)%n",
        drainSeconds);
    List<String> problems = problems();
    out.printf(
        "%n%s%n",
        problems.isEmpty() ? "PASSED: nothing lost, the fleet stayed bounded" : "FAILED:");
    problems.forEach(p -> out.printf("  - %s%n", p));
  }
}
