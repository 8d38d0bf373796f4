package dev.surge.local.api;

import dev.surge.core.ResourceNames;
import dev.surge.local.alarm.LocalAlarm;
import dev.surge.local.alarm.LocalAlarms;
import dev.surge.local.function.LocalFunction;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.TaskDefinition;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.LocalTopics;
import dev.surge.local.topic.TopicConfig;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The parts of the running local chain that the AWS endpoint reads and writes, and the names and
 * ARNs it gives them: the ones the AWS target deploys, in the local account ({@value
 * TopicConfig#LOCAL_ACCOUNT}, as in ElasticMQ's queue URLs).
 *
 * @param region the region in every ARN
 * @param names the resources' names
 * @param createdAt when the chain was made (its alarm's, function's and task definition's date)
 * @param alarms the backlog alarm and the alarms made since
 * @param topics the topic the alarm notifies and the topics made since
 * @param function the function subscribed to it
 * @param handler the class and method the function runs, as Lambda names a handler
 * @param launcher the task launcher, whose tasks are the cluster's
 * @param scheduler where asynchronous invocations run
 * @param queueUrl the work queue's URL, as the SQS endpoint gives it
 * @param deadLetterQueueUrl the dead-letter queue's URL
 */
public record LocalChain(
    String region,
    ResourceNames names,
    Instant createdAt,
    LocalAlarms alarms,
    LocalTopics topics,
    LocalFunction function,
    String handler,
    ProcessTaskLauncher launcher,
    ScheduledExecutorService scheduler,
    String queueUrl,
    String deadLetterQueueUrl) {

  /**
   * The subnet the tasks' network configuration names: a placeholder, since the local cluster has
   * no network to place tasks in ({@code RunTask} accepts it and leaves it).
   */
  public static final String SUBNET = "subnet-local";

  /** The security group the tasks' network configuration names: a placeholder, as the subnet. */
  public static final String SECURITY_GROUP = "sg-local";

  /** Requires every part. */
  public LocalChain {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(alarms, "alarms");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(launcher, "launcher");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
  }

  /** The backlog alarm. */
  LocalAlarm alarm() {
    return alarms.chain();
  }

  /** The topic the backlog alarm notifies. */
  LocalTopic topic() {
    return topics.chain();
  }

  /** The account of every local ARN. */
  String account() {
    return TopicConfig.LOCAL_ACCOUNT;
  }

  String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + account() + ":" + resource;
  }

  String alarmArn(String name) {
    return arn("cloudwatch", "alarm:" + name);
  }

  String functionArn() {
    return function.config().arn();
  }

  String clusterArn() {
    return launcher.platform().clusterArn();
  }

  /** A revision of a task definition's ARN. */
  String taskDefinitionArn(TaskDefinition d) {
    return launcher.platform().taskDefinitionArn(d);
  }

  String taskArn(String taskId) {
    return launcher.platform().taskArn(taskId);
  }

  /** The tasks' log group, as the stack's task definition names it. */
  String taskLogGroup() {
    return "/ecs/" + names.taskFamily();
  }

  /** The function's log group, as Lambda names it. */
  String functionLogGroup() {
    return "/aws/lambda/" + function.config().name();
  }
}
