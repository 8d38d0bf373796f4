package dev.surge.core.scaling;

/** How many tasks a backlog deserves. Implementations are values; {@link #decide} applies one. */
public sealed interface ScalingPolicy {

  /** The fleet size wanted for {@code backlog} messages (visible + in flight). */
  int desired(long backlog);

  /** The policy in words, for a person: "one task per 300 messages, at most 10 tasks". */
  String describe();

  /**
   * One task per {@code messagesPerTask} messages, at least one, at most {@code maxTasks}: {@code
   * clamp(ceil(backlog / messagesPerTask), 1, maxTasks)}. The defaults turn the seed's 1100
   * messages into the seed's 4 tasks.
   *
   * @param messagesPerTask backlog one task is expected to drain
   * @param maxTasks the fleet's cap
   */
  record Proportional(int messagesPerTask, int maxTasks) implements ScalingPolicy {
    /** Default messages per task: {@code ceil(1100 / 300) = 4}, the seed's fleet. */
    public static final int DEFAULT_MESSAGES_PER_TASK = 300;

    /** Default cap. */
    public static final int DEFAULT_MAX_TASKS = 10;

    /** Both parameters must be positive. */
    public Proportional {
      if (messagesPerTask < 1 || maxTasks < 1) {
        throw new IllegalArgumentException(
            "messagesPerTask and maxTasks must be >= 1, were " + messagesPerTask + ", " + maxTasks);
      }
    }

    /** The defaults. */
    public static Proportional defaults() {
      return new Proportional(DEFAULT_MESSAGES_PER_TASK, DEFAULT_MAX_TASKS);
    }

    @Override
    public int desired(long backlog) {
      long wanted = Math.max(0, backlog + messagesPerTask - 1) / messagesPerTask;
      return (int) Math.max(1, Math.min(maxTasks, wanted));
    }

    @Override
    public String describe() {
      return (messagesPerTask == 1
              ? "one task per message"
              : "one task per " + messagesPerTask + " messages")
          + " in the queue, at most "
          + (maxTasks == 1 ? "1 task" : maxTasks + " tasks");
    }
  }

  /**
   * Always the same fleet: {@code Fixed(4)} starts the seed's four tasks. Unlike the seed, tasks
   * already running are subtracted, so a repeated notification does not double the fleet.
   *
   * @param tasks the fleet size
   */
  record Fixed(int tasks) implements ScalingPolicy {
    /** The seed's fleet. */
    public static final int SEED_TASKS = 4;

    /** The fleet must be positive. */
    public Fixed {
      if (tasks < 1) {
        throw new IllegalArgumentException("tasks must be >= 1, was " + tasks);
      }
    }

    @Override
    public int desired(long backlog) {
      return tasks;
    }

    @Override
    public String describe() {
      return "a fixed fleet of " + (tasks == 1 ? "1 task" : tasks + " tasks");
    }
  }

  /**
   * Applies {@code policy}: start {@code max(0, desired - running)} tasks. An empty queue wants no
   * task, whatever the policy: the alarm lags the queue (CloudWatch's metric is a minute behind),
   * and a task started for nothing only idles out.
   */
  static ScalingDecision decide(ScalingPolicy policy, long backlog, int running) {
    if (backlog < 0 || running < 0) {
      throw new IllegalArgumentException("backlog and running must be >= 0");
    }
    int desired = backlog == 0 ? 0 : policy.desired(backlog);
    return new ScalingDecision(backlog, running, desired, Math.max(0, desired - running));
  }
}
