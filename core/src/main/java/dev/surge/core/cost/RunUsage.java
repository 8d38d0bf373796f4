package dev.surge.core.cost;

import java.time.Duration;

/**
 * What a run used of each billed AWS resource, from the counts Surge keeps. Counters add and
 * subtract, so a part of a longer session (one burst of {@code surge up}) is the difference of two
 * readings.
 *
 * @param tasks tasks started
 * @param taskSeconds the tasks' billed seconds: each task's run time, rounded up to the second, at
 *     least a minute (Fargate's minimum)
 * @param sqsRequests SQS requests of the producers, the workers and the function
 * @param dynamoDbWriteUnits DynamoDB write request units: one per item written (items are under 1
 *     KB), and the function's lease writes
 * @param lambdaInvocations the function's invocations
 * @param lambdaGbSeconds the function's billed duration (per millisecond) times its memory
 * @param snsPublishes notifications published to the topic
 * @param runSeconds how long the run took (for the alarm's share of its monthly price)
 */
public record RunUsage(
    long tasks,
    double taskSeconds,
    long sqsRequests,
    long dynamoDbWriteUnits,
    long lambdaInvocations,
    double lambdaGbSeconds,
    long snsPublishes,
    double runSeconds) {
  /** Nothing used. */
  public static final RunUsage NONE = new RunUsage(0, 0, 0, 0, 0, 0, 0, 0);

  /** Fargate's minimum billed time per task. */
  static final Duration FARGATE_MINIMUM = Duration.ofMinutes(1);

  /** Requires counts >= 0. */
  public RunUsage {
    if (tasks < 0
        || taskSeconds < 0
        || sqsRequests < 0
        || dynamoDbWriteUnits < 0
        || lambdaInvocations < 0
        || lambdaGbSeconds < 0
        || snsPublishes < 0
        || runSeconds < 0) {
      throw new IllegalArgumentException("usage counts must be >= 0");
    }
  }

  /** A task's billed seconds for running {@code ran}: whole seconds, at least a minute. */
  public static double billedTaskSeconds(Duration ran) {
    long seconds = Math.max(0, (ran.toMillis() + 999) / 1000);
    return Math.max(FARGATE_MINIMUM.toSeconds(), seconds);
  }

  /** Lambda's billed GB-seconds for one invocation of {@code took} with {@code memoryMb}. */
  public static double lambdaGbSeconds(Duration took, int memoryMb) {
    long millis = Math.max(1, (took.toNanos() + 999_999) / 1_000_000);
    return millis / 1000.0 * memoryMb / 1024.0;
  }

  /** This reading less an earlier one; the run time is this one's. */
  public RunUsage since(RunUsage earlier) {
    return new RunUsage(
        Math.max(0, tasks - earlier.tasks),
        Math.max(0, taskSeconds - earlier.taskSeconds),
        Math.max(0, sqsRequests - earlier.sqsRequests),
        Math.max(0, dynamoDbWriteUnits - earlier.dynamoDbWriteUnits),
        Math.max(0, lambdaInvocations - earlier.lambdaInvocations),
        Math.max(0, lambdaGbSeconds - earlier.lambdaGbSeconds),
        Math.max(0, snsPublishes - earlier.snsPublishes),
        runSeconds);
  }

  /** The same usage with {@code n} more SQS requests (a producer's, counted apart). */
  public RunUsage plusSqsRequests(long n) {
    return new RunUsage(
        tasks,
        taskSeconds,
        sqsRequests + n,
        dynamoDbWriteUnits,
        lambdaInvocations,
        lambdaGbSeconds,
        snsPublishes,
        runSeconds);
  }

  /** The same usage over {@code seconds} of run time. */
  public RunUsage over(double seconds) {
    return new RunUsage(
        tasks,
        taskSeconds,
        sqsRequests,
        dynamoDbWriteUnits,
        lambdaInvocations,
        lambdaGbSeconds,
        snsPublishes,
        seconds);
  }
}
