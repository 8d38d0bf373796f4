package dev.surge.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.trigger.AlarmSnapshot;
import dev.surge.trigger.EcsTaskDirectory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One snapshot of the deployed pipeline, for {@code surge status --target aws}: the queue, the
 * dead-letter queue, the alarm, the tasks and the table, as read at {@code at}.
 *
 * @param at when it was read
 * @param stackName the stack
 * @param region its region
 * @param stackStatus its CloudFormation status
 * @param queueName the work queue
 * @param depth the work queue's counters
 * @param deadLetterQueueName the dead-letter queue
 * @param deadLetters messages in the dead-letter queue (visible, in flight and delayed)
 * @param alarm the backlog alarm
 * @param tasks the tasks started by the trigger that ECS still lists (stopped ones for about an
 *     hour), oldest first
 * @param tableName the table
 * @param items items in the table (a {@code Scan} COUNT)
 */
public record AwsStatus(
    Instant at,
    String stackName,
    String region,
    String stackStatus,
    String queueName,
    QueueDepth depth,
    String deadLetterQueueName,
    long deadLetters,
    AlarmSnapshot alarm,
    List<TaskView> tasks,
    String tableName,
    long items) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requires every field; copies the list. */
  public AwsStatus {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(stackName, "stackName");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(stackStatus, "stackStatus");
    Objects.requireNonNull(queueName, "queueName");
    Objects.requireNonNull(depth, "depth");
    Objects.requireNonNull(deadLetterQueueName, "deadLetterQueueName");
    Objects.requireNonNull(alarm, "alarm");
    Objects.requireNonNull(tableName, "tableName");
    tasks = List.copyOf(tasks);
    if (deadLetters < 0 || items < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }

  /**
   * Reads the snapshot: {@code GetQueueAttributes} on both queues, a {@code Scan} COUNT of the
   * table, {@code DescribeAlarms}, {@code ListTasks} (RUNNING and STOPPED) and {@code
   * DescribeTasks}.
   *
   * @throws dev.surge.core.ConfigException when the alarm does not exist (SDK errors pass through)
   */
  public static AwsStatus read(StackOutputs outputs, ServiceClients services, Clock clock) {
    Instant at = clock.instant();
    PipelineMonitor.Sample sample;
    // The monitor publishes its sample; here only the returned figures matter.
    try (PipelineMonitor monitor =
        new PipelineMonitor(
            services.sqs(),
            outputs.queueUrl(),
            outputs.deadLetterQueueUrl(),
            services.dynamodb(),
            outputs.tableName(),
            new EventLog(2),
            clock)) {
      sample = monitor.sample();
    }
    AlarmSnapshot alarm =
        AlarmSnapshot.read(
            services.cloudWatch(), outputs.alarmName(), StackOutputs.CHANGED_OUTSIDE);
    List<TaskView> tasks = new EcsTaskDirectory(services.ecs(), outputs.toEcsSettings()).tasks();
    return new AwsStatus(
        at,
        outputs.stackName(),
        outputs.region(),
        outputs.stackStatus(),
        outputs.queueName(),
        sample.depth(),
        outputs.deadLetterQueueName(),
        sample.deadLetters(),
        alarm,
        tasks,
        outputs.tableName(),
        sample.items());
  }

  /** The tasks in {@code state}, oldest first. */
  public List<TaskView> tasksIn(TaskState state) {
    return tasks.stream().filter(t -> t.state() == state).toList();
  }

  /** Writes the snapshot for a person, one line per part, tasks one per line. */
  public void print(PrintWriter out) {
    out.printf(Locale.ROOT, "stack  %s in %s (%s) at %s%n", stackName, region, stackStatus, at);
    out.printf(
        Locale.ROOT,
        "queue  %s: %d visible, %d in flight, %d delayed (backlog %d)%n",
        queueName,
        depth.visible(),
        depth.inFlight(),
        depth.delayed(),
        depth.backlog());
    out.printf(Locale.ROOT, "dlq    %s: %d message(s)%n", deadLetterQueueName, deadLetters);
    out.printf(
        Locale.ROOT,
        "alarm  %s: %s%s (threshold %s)%n",
        alarm.name(),
        alarm.state(),
        alarm.since().map(s -> " since " + s).orElse(""),
        threshold(alarm.threshold()));
    if (!alarm.reason().isEmpty()) {
      out.printf(Locale.ROOT, "       %s%n", alarm.reason());
    }
    out.printf(
        Locale.ROOT,
        "tasks  %d provisioning, %d running, %d stopped%n",
        tasksIn(TaskState.PROVISIONING).size(),
        tasksIn(TaskState.RUNNING).size(),
        tasksIn(TaskState.STOPPED).size());
    for (TaskState state : TaskState.values()) {
      for (TaskView t : tasksIn(state)) {
        out.printf(Locale.ROOT, "       %-12s %s%s%n", state, t.taskId(), detail(t));
      }
    }
    out.printf(Locale.ROOT, "table  %s: %d item(s)%n", tableName, items);
    out.flush();
  }

  /** The snapshot as one JSON object (absent values are left out). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("at", at.toString());
    root.putObject("stack").put("name", stackName).put("region", region).put("status", stackStatus);
    root.putObject("queue")
        .put("name", queueName)
        .put("visible", depth.visible())
        .put("inFlight", depth.inFlight())
        .put("delayed", depth.delayed())
        .put("backlog", depth.backlog());
    root.putObject("deadLetterQueue").put("name", deadLetterQueueName).put("messages", deadLetters);
    ObjectNode a =
        root.putObject("alarm")
            .put("name", alarm.name())
            .put("state", alarm.state().name())
            .put("reason", alarm.reason());
    if (!Double.isNaN(alarm.threshold())) {
      a.put("threshold", alarm.threshold());
    }
    alarm.since().ifPresent(s -> a.put("since", s.toString()));
    ObjectNode byState = root.putObject("tasks");
    for (TaskState state : TaskState.values()) {
      ArrayNode list = byState.putArray(state.name().toLowerCase(Locale.ROOT));
      for (TaskView t : tasksIn(state)) {
        ObjectNode task =
            list.addObject()
                .put("id", t.taskId())
                .put("host", t.host())
                .put("startedAt", t.startedAt().toString());
        t.stoppedAt().ifPresent(s -> task.put("stoppedAt", s.toString()));
        t.exitCode().ifPresent(c -> task.put("exitCode", c));
        t.stopReason().ifPresent(r -> task.put("stopReason", r));
      }
    }
    root.putObject("table").put("name", tableName).put("items", items);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String detail(TaskView t) {
    StringBuilder s = new StringBuilder();
    if (!t.host().equals(t.taskId())) {
      s.append(" on ").append(t.host());
    }
    s.append(", created ").append(t.startedAt());
    t.stoppedAt().ifPresent(at -> s.append(", stopped ").append(at));
    t.exitCode().ifPresent(c -> s.append(", exit ").append(c));
    t.stopReason().ifPresent(r -> s.append(" (").append(r).append(')'));
    return s.toString();
  }

  private static String threshold(double t) {
    if (Double.isNaN(t)) {
      return "none";
    }
    return t == Math.rint(t) && Math.abs(t) < 1e15
        ? Long.toString((long) t)
        : String.format(Locale.ROOT, "%s", t);
  }
}
