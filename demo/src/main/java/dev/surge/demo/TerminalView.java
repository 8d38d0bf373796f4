package dev.surge.demo;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The chain as it happens, in the terminal: one line per notable event (alarm transitions,
 * notifications, trigger decisions, task changes) and a status line (items written vs produced,
 * queue depth, alarm state, tasks). On a terminal the status line is redrawn in place every second;
 * otherwise it is printed as a plain line every few seconds, fit for logs.
 */
public final class TerminalView implements AutoCloseable {
  private static final int BAR = 24;

  /** At most one producer line this often. */
  static final Duration PRODUCER_LINE_EVERY = Duration.ofSeconds(1);

  private final PrintWriter out;
  private final boolean tty;
  private final Instant start;
  private final Runnable unsubscribe;
  private final ScheduledExecutorService ticker;
  private final Map<String, TaskView> tasks = new LinkedHashMap<>();
  private QueueDepth depth = new QueueDepth(0, 0, 0);
  private long deadLetters;
  private long items;
  private long produced;
  private long target;
  private AlarmState alarm = AlarmState.INSUFFICIENT_DATA;
  private boolean statusShown;
  private Instant lastProducerLine;
  private PipelineEvent.Produced pendingProducerLine;
  private String lastStatus = "";
  private final IntSupplier columns;

  /** Follows {@code log} from now on; on a terminal, its status line fits the terminal's width. */
  public TerminalView(EventLog log, PrintWriter out, boolean tty, Instant start) {
    this(log, out, tty, start, tty ? TerminalWidth.detect() : () -> TerminalWidth.DEFAULT);
  }

  /** As the other constructor, with the terminal's width in columns from {@code columns}. */
  public TerminalView(
      EventLog log, PrintWriter out, boolean tty, Instant start, IntSupplier columns) {
    this.columns = columns;
    this.out = out;
    this.tty = tty;
    this.start = start;
    this.unsubscribe = log.subscribe(0, s -> on(s.event()));
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "terminal-view");
              t.setDaemon(true);
              return t;
            });
    long period = tty ? 1 : 5;
    ticker.scheduleAtFixedRate(this::status, period, period, TimeUnit.SECONDS);
  }

  private synchronized void on(PipelineEvent e) {
    if (e instanceof PipelineEvent.QueueSampled q) {
      depth = q.depth();
      deadLetters = q.deadLetters();
    } else if (e instanceof PipelineEvent.ItemsCounted i) {
      items = i.items();
    } else if (e instanceof PipelineEvent.Produced p) {
      produced = p.sent();
      target = p.target();
      if (p.sent() == p.target()) {
        // Messages from other tools arrive as one event per request: one line a second at most,
        // and the last count once they have paused.
        if (lastProducerLine == null
            || !e.at().isBefore(lastProducerLine.plus(PRODUCER_LINE_EVERY))) {
          producerLine(p);
        } else {
          pendingProducerLine = p;
        }
      }
    } else if (e instanceof PipelineEvent.AlarmChanged a) {
      alarm = a.to();
      line(
          e.at(),
          "alarm " + a.alarm() + ": " + a.from() + " -> " + a.to() + " (" + a.reason() + ")");
    } else if (e instanceof PipelineEvent.NotificationDelivered n) {
      line(
          e.at(),
          "topic "
              + n.topic()
              + ": notification "
              + shortId(n.messageId())
              + (n.delivered() ? " delivered to " : " FAILED for ")
              + n.subscriber()
              + (n.attempt() > 1 ? " (attempt " + n.attempt() + ")" : "")
              + (n.delivered() ? "" : ": " + n.error()));
    } else if (e instanceof PipelineEvent.TriggerDecided t) {
      line(
          e.at(),
          "function ("
              + t.cause()
              + "): "
              + t.action()
              + " - backlog "
              + t.backlog()
              + ", running "
              + t.running()
              + ", desired "
              + t.desired()
              + (t.started() > 0 ? ", started " + t.started() : "")
              + (t.failures().isEmpty() ? "" : ", failures " + t.failures())
              + (t.note().isEmpty() ? "" : " (" + t.note() + ")"));
    } else if (e instanceof PipelineEvent.TaskChanged c) {
      TaskView v = c.task();
      TaskView before = tasks.put(v.taskId(), v);
      if (before == null || before.state() != v.state()) {
        String detail =
            v.state() == TaskState.STOPPED
                ? " exit "
                    + v.exitCode().map(String::valueOf).orElse("?")
                    + (c.itemsWritten() > 0 ? ", " + c.itemsWritten() + " items" : "")
                    + v.stopReason().map(r -> ", " + r).orElse("")
                : "";
        line(e.at(), "task " + v.taskId() + ": " + v.state() + detail);
      }
    } else if (e instanceof PipelineEvent.Note n) {
      line(
          e.at(),
          (n.level().equals("info") ? "" : n.level().toUpperCase(Locale.ROOT) + ": ")
              + n.message());
    }
  }

  private void producerLine(PipelineEvent.Produced p) {
    line(p.at(), "producer: sent " + p.sent() + " messages");
    lastProducerLine = p.at();
    pendingProducerLine = null;
  }

  private void line(Instant at, String text) {
    if (tty && statusShown) {
      out.print("\r\033[K");
    }
    double s = Math.max(0, Duration.between(start, at).toMillis() / 1000.0);
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", s, text);
    if (tty && statusShown) {
      out.print(compactStatus());
    }
    out.flush();
  }

  private synchronized void status() {
    if (pendingProducerLine != null
        && !Instant.now().isBefore(pendingProducerLine.at().plus(PRODUCER_LINE_EVERY))) {
      producerLine(pendingProducerLine);
    }
    if (tty) {
      out.print("\r\033[K" + compactStatus());
      statusShown = true;
    } else {
      // Plain lines for logs: only when something changed.
      String text = statusText();
      if (!text.equals(lastStatus)) {
        double s = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", s, text);
        lastStatus = text;
      }
    }
    out.flush();
  }

  private String statusText() {
    long goal = Math.max(target, produced);
    int filled = goal == 0 ? 0 : (int) Math.min(BAR, items * BAR / goal);
    long running = tasks.values().stream().filter(t -> t.state().alive()).count();
    // Without a producer of ours (surge up), there is no total to show progress against.
    String progress =
        goal == 0
            ? items + " items"
            : "["
                + "#".repeat(filled)
                + ".".repeat(BAR - filled)
                + "] "
                + items
                + "/"
                + goal
                + " items";
    return String.format(
        Locale.ROOT,
        "%s | queue %d visible, %d in flight, %d DLQ | alarm %s | tasks %d running, %d stopped",
        progress,
        depth.visible(),
        depth.inFlight(),
        deadLetters,
        alarm,
        running,
        tasks.size() - running);
  }

  // One terminal line: a wrapped line could not be redrawn in place, so it must fit the terminal
  // (one column short, as some terminals wrap on the last one). The fullest form that fits wins;
  // parts are dropped least important first; a line is never cut inside a word.
  String compactStatus() {
    return fit(columns.getAsInt() - 1);
  }

  synchronized String fit(int width) {
    String full = statusText();
    if (full.length() <= width) {
      return full;
    }
    long goal = Math.max(target, produced);
    int bar = 12;
    int filled = goal == 0 ? 0 : (int) Math.min(bar, items * bar / goal);
    long running = tasks.values().stream().filter(t -> t.state().alive()).count();
    List<String> parts = new ArrayList<>();
    parts.add(
        goal == 0
            ? items + " items"
            : "[" + "#".repeat(filled) + ".".repeat(bar - filled) + "] " + items + "/" + goal);
    parts.add("tasks " + running + " up " + (tasks.size() - running) + " done");
    parts.add("queue " + depth.visible() + " +" + depth.inFlight() + " in flight");
    parts.add(alarm == AlarmState.INSUFFICIENT_DATA ? "NO DATA" : alarm.name());
    parts.add("DLQ " + deadLetters);
    for (int n = parts.size(); n >= 1; n--) {
      String text = String.join("  ", parts.subList(0, n));
      if (text.length() <= width) {
        return text;
      }
    }
    String first = parts.get(0);
    int cut = first.lastIndexOf(' ', Math.max(0, width));
    return cut > 0 ? first.substring(0, cut) : first.substring(0, Math.max(0, width));
  }

  private static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  /** Stops following; on a terminal, ends the status line. */
  @Override
  public synchronized void close() {
    unsubscribe.run();
    ticker.shutdownNow();
    if (pendingProducerLine != null) {
      producerLine(pendingProducerLine);
    }
    if (tty && statusShown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
