package dev.surge.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of every resource of one Surge pipeline. Defaults are the seed demo's names; each one
 * can be overridden, and {@link #withPrefix(String)} derives a second, non-colliding set.
 *
 * @param table DynamoDB table that receives one item per message
 * @param queue SQS queue the producer fills and the workers drain
 * @param deadLetterQueue SQS queue that receives messages after {@code maxReceiveCount} receives
 * @param topic SNS topic the alarm notifies
 * @param function Lambda function (locally: the in-process trigger) subscribed to the topic
 * @param alarm CloudWatch alarm on the queue's visible messages
 * @param cluster ECS cluster the tasks run in
 * @param taskFamily ECS task definition family
 * @param container name of the worker container in the task definition
 * @param repository ECR repository holding the worker image
 */
public record ResourceNames(
    String table,
    String queue,
    String deadLetterQueue,
    String topic,
    String function,
    String alarm,
    String cluster,
    String taskFamily,
    String container,
    String repository) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,80}");

  /** Validates every name against the character set all the services accept. */
  public ResourceNames {
    check("table", table);
    check("queue", queue);
    check("dead-letter queue", deadLetterQueue);
    check("topic", topic);
    check("function", function);
    check("alarm", alarm);
    check("cluster", cluster);
    check("task family", taskFamily);
    check("container", container);
    check("repository", repository);
  }

  /** The seed demo's names. */
  public static ResourceNames seed() {
    return new ResourceNames(
        "fasttracksaa",
        "demo-decoupling-saa",
        "demo-decoupling-saa-dlq",
        "fasttrack-saa",
        "fasttrack-saa",
        "fasttrack-saa-backlog",
        "FastTrack-Saa-Sqs-demo",
        "fasttrack-saa-td",
        "fasttrack-saa",
        "fasttracksaa");
  }

  /**
   * The same names with {@code prefix} in front, so two pipelines can live in one account. The ECR
   * repository is lower-cased, as ECR requires.
   */
  public ResourceNames withPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      return this;
    }
    return new ResourceNames(
        prefix + table,
        prefix + queue,
        prefix + deadLetterQueue,
        prefix + topic,
        prefix + function,
        prefix + alarm,
        prefix + cluster,
        prefix + taskFamily,
        prefix + container,
        (prefix + repository).toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The control table the trigger's instances share (the fleet lease and the tasks started
   * recently; see {@link dev.surge.core.trigger.ControlSchema}): the item table's name with {@code
   * -control}, so it follows a prefix or another table name.
   */
  public String controlTable() {
    return table + "-control";
  }

  /** A copy with another table name. */
  public ResourceNames withTable(String name) {
    return new ResourceNames(
        name,
        queue,
        deadLetterQueue,
        topic,
        function,
        alarm,
        cluster,
        taskFamily,
        container,
        repository);
  }

  /** A copy with another queue name; the dead-letter queue follows it ({@code <queue>-dlq}). */
  public ResourceNames withQueue(String name) {
    return new ResourceNames(
        table,
        name,
        name + "-dlq",
        topic,
        function,
        alarm,
        cluster,
        taskFamily,
        container,
        repository);
  }

  private static void check(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + value
              + "' is not valid: use 1 to 80 letters, digits, '-', '_' or '.'");
    }
  }
}
