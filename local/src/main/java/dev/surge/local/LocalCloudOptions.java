package dev.surge.local;

import dev.surge.core.ResourceNames;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.queue.QueueOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the local cloud.
 *
 * @param host the interface every server binds to (127.0.0.1 unless the user asks otherwise)
 * @param sqsPort SQS port, 0 = any free port
 * @param dynamodbPort DynamoDB port, 0 = any free port
 * @param awsPort port of the one AWS endpoint (every API of the chain), 0 = any free port
 * @param names resource names (the seed's by default)
 * @param queue queue settings (visibility timeout, redrive)
 * @param alarmPeriod the alarm's period (60 s in AWS; seconds locally)
 * @param alarmThreshold the alarm fires when visible messages exceed this (the seed: 100)
 * @param policy the trigger's scaling policy
 * @param maxTasks at most this many worker processes at once
 * @param tuning worker settings passed to every task
 * @param logDirectory where each task's log file goes
 * @param monitorPeriod how often the queue and table are sampled for viewers
 */
public record LocalCloudOptions(
    String host,
    int sqsPort,
    int dynamodbPort,
    int awsPort,
    ResourceNames names,
    QueueOptions queue,
    Duration alarmPeriod,
    double alarmThreshold,
    ScalingPolicy policy,
    int maxTasks,
    WorkerTuning tuning,
    Path logDirectory,
    Duration monitorPeriod) {

  /** The seed's alarm threshold. */
  public static final double SEED_THRESHOLD = 100;

  /** The local alarm period: a few seconds, so a demo reacts quickly. */
  public static final Duration DEFAULT_ALARM_PERIOD = Duration.ofSeconds(5);

  /** Validates ranges. */
  public LocalCloudOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(alarmPeriod, "alarmPeriod");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(tuning, "tuning");
    Objects.requireNonNull(logDirectory, "logDirectory");
    Objects.requireNonNull(monitorPeriod, "monitorPeriod");
    if (alarmPeriod.toMillis() < 100) {
      throw new IllegalArgumentException("the alarm period must be at least 100 ms");
    }
    if (alarmThreshold < 0) {
      throw new IllegalArgumentException("the alarm threshold must be >= 0");
    }
    if (maxTasks < 1) {
      throw new IllegalArgumentException("maxTasks must be >= 1");
    }
  }

  /**
   * The seed's pipeline on {@code 127.0.0.1} with the given ports and log folder; the AWS endpoint
   * on any free port.
   */
  public static LocalCloudOptions seed(int sqsPort, int dynamodbPort, Path logDirectory) {
    return new LocalCloudOptions(
        "127.0.0.1",
        sqsPort,
        dynamodbPort,
        0,
        ResourceNames.seed(),
        QueueOptions.defaults(),
        DEFAULT_ALARM_PERIOD,
        SEED_THRESHOLD,
        ScalingPolicy.Proportional.defaults(),
        ScalingPolicy.Proportional.DEFAULT_MAX_TASKS,
        WorkerTuning.defaults(),
        logDirectory,
        Duration.ofMillis(500));
  }

  /** A copy with the AWS endpoint on {@code value} (0 = any free port). */
  public LocalCloudOptions withAwsPort(int value) {
    Copy c = new Copy(this);
    c.awsPort = value;
    return c.build();
  }

  /** A copy with another alarm period. */
  public LocalCloudOptions withAlarmPeriod(Duration value) {
    Copy c = new Copy(this);
    c.alarmPeriod = value;
    return c.build();
  }

  /** A copy with another alarm threshold. */
  public LocalCloudOptions withAlarmThreshold(double value) {
    Copy c = new Copy(this);
    c.alarmThreshold = value;
    return c.build();
  }

  /** A copy with another policy and cap. */
  public LocalCloudOptions withPolicy(ScalingPolicy value, int max) {
    Copy c = new Copy(this);
    c.policy = value;
    c.maxTasks = max;
    return c.build();
  }

  /** A copy with other worker settings. */
  public LocalCloudOptions withTuning(WorkerTuning value) {
    Copy c = new Copy(this);
    c.tuning = value;
    return c.build();
  }

  /** A copy with other queue settings. */
  public LocalCloudOptions withQueue(QueueOptions value) {
    Copy c = new Copy(this);
    c.queue = value;
    return c.build();
  }

  /** A copy that samples queue and table for viewers every {@code value}. */
  public LocalCloudOptions withMonitorPeriod(Duration value) {
    Copy c = new Copy(this);
    c.monitorPeriod = value;
    return c.build();
  }

  /** The fields of an options record, to change some and build a validated copy. */
  private static final class Copy {
    private final String host;
    private final int sqsPort;
    private final int dynamodbPort;
    private int awsPort;
    private final ResourceNames names;
    private QueueOptions queue;
    private Duration alarmPeriod;
    private double alarmThreshold;
    private ScalingPolicy policy;
    private int maxTasks;
    private WorkerTuning tuning;
    private final Path logDirectory;
    private Duration monitorPeriod;

    private Copy(LocalCloudOptions o) {
      host = o.host;
      sqsPort = o.sqsPort;
      dynamodbPort = o.dynamodbPort;
      awsPort = o.awsPort;
      names = o.names;
      queue = o.queue;
      alarmPeriod = o.alarmPeriod;
      alarmThreshold = o.alarmThreshold;
      policy = o.policy;
      maxTasks = o.maxTasks;
      tuning = o.tuning;
      logDirectory = o.logDirectory;
      monitorPeriod = o.monitorPeriod;
    }

    private LocalCloudOptions build() {
      return new LocalCloudOptions(
          host,
          sqsPort,
          dynamodbPort,
          awsPort,
          names,
          queue,
          alarmPeriod,
          alarmThreshold,
          policy,
          maxTasks,
          tuning,
          logDirectory,
          monitorPeriod);
    }
  }
}
