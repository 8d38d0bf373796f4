package dev.surge.infra;

import dev.surge.core.ResourceNames;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Every AWS resource of the demo in one stack: table, queue and dead-letter queue, topic, alarm,
 * trigger function, its schedule and its control table, cluster, task definition, image repository,
 * network. Its outputs are what the {@code surge} CLI reads to run the demo against AWS.
 */
public final class SurgeStack extends Stack {
  private final ItemTable table;
  private final ControlTable control;
  private final WorkQueue queue;
  private final BacklogAlarm backlog;
  private final Network network;
  private final WorkerTasks workers;
  private final TriggerFunction trigger;

  /** Builds the stack {@code props.stackName()} in {@code scope}. */
  public SurgeStack(Construct scope, SurgeStackProps props) {
    super(
        scope,
        props.stackName(),
        StackProps.builder()
            .stackName(props.stackName())
            .description(
                "Surge: the FastTrack SAA SQS & SNS demo (queue, alarm, topic, trigger function,"
                    + " Fargate workers, DynamoDB table)")
            .build());
    ResourceNames names = props.names();
    this.table = new ItemTable(this, "Items", names.table());
    this.control = new ControlTable(this, "Control", names.controlTable());
    this.queue =
        new WorkQueue(
            this,
            "Work",
            new WorkQueue.Props(names.queue(), names.deadLetterQueue(), props.maxReceiveCount()));
    this.backlog =
        new BacklogAlarm(
            this,
            "Backlog",
            new BacklogAlarm.Props(
                names.topic(), names.alarm(), queue.queue(), props.alarmThreshold()));
    this.network =
        new Network(this, "Network", props.network(), names.container() + "-ecs-task-sg");
    this.workers =
        new WorkerTasks(
            this,
            "Workers",
            new WorkerTasks.Props(
                names, props.imageTag(), network.vpc(), queue.queue(), table.table()));
    this.trigger =
        new TriggerFunction(
            this,
            "Trigger",
            new TriggerFunction.Props(
                names.function(),
                props.lambdaJar(),
                props.scaling(),
                props.reservedConcurrency(),
                backlog.topic(),
                backlog.alarm(),
                queue.queue(),
                workers.cluster(),
                workers.taskDefinition().getFamily(),
                workers.container().getContainerName(),
                List.of(workers.taskRole(), workers.executionRole()),
                network.subnetList(),
                network.securityGroup().getSecurityGroupId(),
                network.assignPublicIp(),
                control.table()));
    outputs();
  }

  private void outputs() {
    output("QueueUrl", queue.queue().getQueueUrl(), "Work queue URL (the producer's target)");
    output("DeadLetterQueueUrl", queue.deadLetterQueue().getQueueUrl(), "Dead-letter queue URL");
    output("TableName", table.table().getTableName(), "Table the workers write");
    output("TopicArn", backlog.topic().getTopicArn(), "Topic the alarm notifies");
    output("FunctionName", trigger.function().getFunctionName(), "Trigger function");
    output("AlarmName", backlog.alarm().getAlarmName(), "Backlog alarm");
    output("ClusterName", workers.cluster().getClusterName(), "ECS cluster of the workers");
    output("TaskDefinitionFamily", workers.taskDefinition().getFamily(), "Worker task family");
    output("ContainerName", workers.container().getContainerName(), "Worker container");
    output("RepositoryUri", workers.repository().getRepositoryUri(), "Worker image repository");
    output("Subnets", network.subnetList(), "Comma-separated subnets of the worker tasks");
    output("SecurityGroup", network.securityGroup().getSecurityGroupId(), "Tasks' security group");
    output("AssignPublicIp", network.assignPublicIp(), "Whether tasks get a public IP");
    output("WorkerLogGroup", workers.logGroup().getLogGroupName(), "Worker containers' logs");
    output("FunctionLogGroup", trigger.logGroup().getLogGroupName(), "Trigger function's logs");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  ItemTable table() {
    return table;
  }

  ControlTable control() {
    return control;
  }

  WorkQueue queue() {
    return queue;
  }

  BacklogAlarm backlog() {
    return backlog;
  }

  Network network() {
    return network;
  }

  WorkerTasks workers() {
    return workers;
  }

  TriggerFunction trigger() {
    return trigger;
  }
}
