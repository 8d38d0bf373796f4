package dev.surge.dashboard.demo;

import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.cost.AwsBill;
import dev.surge.core.cost.AwsPrices;
import dev.surge.core.cost.RunUsage;
import dev.surge.core.cost.TaskSize;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.PipelineEvent.AlarmChanged;
import dev.surge.core.observe.PipelineEvent.ItemsCounted;
import dev.surge.core.observe.PipelineEvent.Note;
import dev.surge.core.observe.PipelineEvent.NotificationDelivered;
import dev.surge.core.observe.PipelineEvent.Produced;
import dev.surge.core.observe.PipelineEvent.QueueSampled;
import dev.surge.core.observe.PipelineEvent.RunFinished;
import dev.surge.core.observe.PipelineEvent.RunSummary;
import dev.surge.core.observe.PipelineEvent.TaskChanged;
import dev.surge.core.observe.PipelineEvent.TriggerDecided;
import dev.surge.core.observe.WriteRate;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.scaling.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A scripted run of the seed demo, one step at a time, for looking at the dashboard without the
 * pipeline: the producer sends 1100 messages, the alarm goes OK to ALARM, the topic notifies the
 * function, which starts 4 tasks; they drain the queue into the table and stop; the alarm returns
 * to OK; the summary closes the run. Deterministic; the caller supplies the time of each step.
 */
public final class DemoScript {
  private static final double THRESHOLD = 100;
  private static final int SEND_PER_STEP = 400;
  private static final int[] WRITES_PER_STEP = {36, 34, 35, 33};
  private static final int RECEIVE_BATCH = 10;
  private static final int WRITE_BATCH = 25;
  private static final int IDLE_STEPS = 2;
  private static final int DATAPOINTS = 3;

  private final String alarm;
  private final String topic;
  private final String function;
  private final long messages;
  private final List<Worker> workers = new ArrayList<>();
  private int step;
  private long sent;
  private long visible;
  private long items;
  private long requests;
  private AlarmState alarmState = AlarmState.INSUFFICIENT_DATA;
  private final Deque<Long> datapoints = new ArrayDeque<>();
  private int breachingSteps;
  private int calmSteps;
  private boolean finished;
  private Instant firstSentAt;
  private Instant alarmAt;
  private Instant firstItemAt;
  private Instant lastItemAt;
  private final WriteRate.Builder writeRate = new WriteRate.Builder();

  /** A run of {@code messages} messages through the named alarm, topic and function. */
  public DemoScript(String alarm, String topic, String function, long messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("messages must be >= 1");
    }
    this.alarm = alarm;
    this.topic = topic;
    this.function = function;
    this.messages = messages;
  }

  /** The seed's run: 1100 messages, through the alarm, topic and function of {@code names}. */
  public static DemoScript seed(ResourceNames names) {
    return new DemoScript(names.alarm(), names.topic(), names.function(), 1100);
  }

  /** Whether the run is over (the summary was returned). */
  public boolean finished() {
    return finished;
  }

  /** The events of the next step, stamped {@code now}; empty once finished. */
  public List<PipelineEvent> step(Instant now) {
    if (finished) {
      return List.of();
    }
    List<PipelineEvent> out = new ArrayList<>();
    if (step == 0) {
      out.add(new Note(now, "info", "demo feed: a scripted run of " + messages + " messages"));
      out.add(alarmTo(now, AlarmState.OK));
    } else {
      produce(now, out);
      drain(now, out);
      evaluateAlarm(now, out);
      startTasks(now, out);
      stopIdleTasks(now, out);
    }
    out.add(new QueueSampled(now, new QueueDepth(visible, inFlight(), 0), 0));
    out.add(new ItemsCounted(now, items));
    if (step > 0 && items == messages && workers.stream().noneMatch(w -> w.state.alive())) {
      if (alarmState == AlarmState.OK) {
        out.add(new Note(now, "info", "every message is in the table; all tasks stopped"));
        out.add(new RunFinished(now, summary(now)));
        finished = true;
      }
    }
    step++;
    return out;
  }

  private void produce(Instant now, List<PipelineEvent> out) {
    if (sent >= messages) {
      return;
    }
    long batch = Math.min(SEND_PER_STEP, messages - sent);
    if (firstSentAt == null) {
      firstSentAt = now;
    }
    sent += batch;
    visible += batch;
    out.add(new Produced(now, sent, messages));
  }

  private void drain(Instant now, List<PipelineEvent> out) {
    for (Worker w : workers) {
      if (w.state != TaskState.RUNNING) {
        continue;
      }
      long take = Math.min(w.rate, visible);
      if (take == 0) {
        w.idle++;
        requests++; // an empty long poll
        continue;
      }
      visible -= take;
      w.written += take;
      items += take;
      writeRate.add(now, take);
      requests += 2 * ceil(take, RECEIVE_BATCH) + ceil(take, WRITE_BATCH);
      if (firstItemAt == null) {
        firstItemAt = now;
      }
      lastItemAt = now;
    }
  }

  private long inFlight() {
    // Each running worker holds one received batch while the queue still has messages.
    long holding = 0;
    for (Worker w : workers) {
      if (w.state == TaskState.RUNNING && visible > 0) {
        holding += RECEIVE_BATCH;
      }
    }
    return Math.min(holding, visible);
  }

  private void evaluateAlarm(Instant now, List<PipelineEvent> out) {
    // As CloudWatch with 3 of 3 datapoints: a change needs three steps on the other side.
    long backlog = visible + inFlight();
    datapoints.addFirst(backlog);
    if (datapoints.size() > DATAPOINTS) {
      datapoints.removeLast();
    }
    boolean breaching = backlog > THRESHOLD;
    breachingSteps = breaching ? breachingSteps + 1 : 0;
    calmSteps = breaching ? 0 : calmSteps + 1;
    if (alarmState == AlarmState.OK && breachingSteps >= DATAPOINTS) {
      out.add(alarmTo(now, AlarmState.ALARM));
      alarmAt = now;
      notifyFunction(now, out, backlog);
    } else if (alarmState == AlarmState.ALARM && calmSteps >= DATAPOINTS) {
      out.add(alarmTo(now, AlarmState.OK));
    }
  }

  private void notifyFunction(Instant now, List<PipelineEvent> out, long backlog) {
    out.add(
        new NotificationDelivered(
            now, topic, "demo-" + String.format(Locale.ROOT, "%08x", step), function, 1, true, ""));
    int desired = ScalingPolicy.Proportional.defaults().desired(backlog);
    out.add(
        new TriggerDecided(
            now,
            "notification",
            "launched",
            backlog,
            0,
            desired,
            desired,
            List.of(),
            "started " + desired + " tasks for a backlog of " + backlog));
    for (int i = 0; i < desired; i++) {
      Worker w = new Worker(i, step, now);
      workers.add(w);
      out.add(new TaskChanged(now, w.view(), 0));
    }
  }

  private void startTasks(Instant now, List<PipelineEvent> out) {
    for (Worker w : workers) {
      // Fargate takes a while to provision; half the fleet is up a step before the rest.
      if (w.state == TaskState.PROVISIONING && step - w.launchedStep > 1 + w.index / 2) {
        w.state = TaskState.RUNNING;
        out.add(new TaskChanged(now, w.view(), 0));
      }
    }
  }

  private void stopIdleTasks(Instant now, List<PipelineEvent> out) {
    for (Worker w : workers) {
      if (w.state == TaskState.RUNNING && w.idle >= IDLE_STEPS) {
        w.state = TaskState.STOPPED;
        w.stoppedAt = now;
        out.add(new TaskChanged(now, w.view(), w.written));
      }
    }
  }

  private AlarmChanged alarmTo(Instant now, AlarmState to) {
    AlarmState from = alarmState;
    alarmState = to;
    // As CloudWatch words it: the datapoints newest first, then the rule that was met.
    List<String> values = new ArrayList<>();
    datapoints.forEach(d -> values.add(String.valueOf((double) d)));
    if (values.isEmpty()) {
      values.add("0.0");
    }
    int n = values.size();
    String relation =
        to == AlarmState.ALARM
            ? (n == 1 ? "was" : "were") + " greater than"
            : (n == 1 ? "was" : "were") + " not greater than";
    String reason =
        "Threshold Crossed: "
            + n
            + " out of the last "
            + n
            + " datapoints ["
            + String.join(", ", values)
            + "] "
            + relation
            + " the threshold ("
            + THRESHOLD
            + ") (minimum "
            + n
            + " datapoint"
            + (n == 1 ? "" : "s")
            + " for "
            + from
            + " -> "
            + to
            + " transition).";
    return new AlarmChanged(now, alarm, from, to, reason, THRESHOLD);
  }

  private RunSummary summary(Instant now) {
    Map<String, Long> perHost = new LinkedHashMap<>();
    for (Worker w : workers) {
      perHost.put(w.host, w.written);
    }
    return new RunSummary(
        messages,
        items,
        items,
        0,
        messages - items,
        0,
        workers.size(),
        perHost,
        Duration.between(firstSentAt, alarmAt).toMillis(),
        Duration.between(alarmAt, firstItemAt).toMillis(),
        Duration.between(firstSentAt, now).toMillis(),
        RunSummary.itemsPerSecond(items, firstItemAt, lastItemAt),
        (double) requests / messages,
        writeRate.build(),
        AwsBill.of(usage(now), TaskSize.WORKER, AwsPrices.US_EAST_1));
  }

  // The scripted run's counts, billed as the real chain's are: one notification and decision.
  private RunUsage usage(Instant now) {
    double taskSeconds = 0;
    for (Worker w : workers) {
      taskSeconds +=
          RunUsage.billedTaskSeconds(
              Duration.between(w.launchedAt, w.stoppedAt != null ? w.stoppedAt : now));
    }
    return new RunUsage(
        workers.size(),
        taskSeconds,
        requests + ceil(messages, 10), // the producer sends batches of 10
        items,
        1,
        RunUsage.lambdaGbSeconds(Duration.ofMillis(150), 1024),
        1,
        Duration.between(firstSentAt, now).toSeconds());
  }

  private static long ceil(long n, long d) {
    return (n + d - 1) / d;
  }

  /** One simulated task. */
  private static final class Worker {
    private final int index;
    private final String id;
    private final String host;
    private final int launchedStep;
    private final Instant launchedAt;
    private final int rate;
    private TaskState state = TaskState.PROVISIONING;
    private Instant stoppedAt;
    private int idle;
    private long written;

    Worker(int index, int launchedStep, Instant launchedAt) {
      this.index = index;
      // ECS task ids are 32 hex digits; these are fixed so that screenshots compare.
      this.id =
          String.format(Locale.ROOT, "%08x7e51d04b6c8e0f1a2b3c4d%02x", 0x3f9c2a00 + index, index);
      this.host = "ip-10-0-1-" + (21 + index) + ".ec2.internal";
      this.launchedStep = launchedStep;
      this.launchedAt = launchedAt;
      this.rate = WRITES_PER_STEP[index % WRITES_PER_STEP.length];
    }

    TaskView view() {
      boolean stopped = state == TaskState.STOPPED;
      return new TaskView(
          id,
          host,
          state,
          launchedAt,
          Optional.ofNullable(stoppedAt),
          stopped ? Optional.of(0) : Optional.empty(),
          stopped ? Optional.of("Essential container in task exited") : Optional.empty());
    }
  }
}
