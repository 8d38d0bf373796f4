package dev.surge.infra;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The outputs the CLI reads to run the demo against the deployed stack. */
class OutputsTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void queueOutputsAreTheWorkAndDeadLetterQueueUrls() {
    expect("QueueUrl", stack.queue().queue().getQueueUrl());
    expect("DeadLetterQueueUrl", stack.queue().deadLetterQueue().getQueueUrl());
  }

  @Test
  void pipelineOutputsNameTableTopicFunctionAndAlarm() {
    expect("TableName", stack.table().table().getTableName());
    expect("TopicArn", stack.backlog().topic().getTopicArn());
    expect("FunctionName", stack.trigger().function().getFunctionName());
    expect("AlarmName", stack.backlog().alarm().getAlarmName());
  }

  @Test
  void taskOutputsSayHowToRunAWorker() {
    expect("ClusterName", stack.workers().cluster().getClusterName());
    template.hasOutput("TaskDefinitionFamily", Map.of("Value", "fasttrack-saa-td"));
    template.hasOutput("ContainerName", Map.of("Value", "fasttrack-saa"));
    expect("RepositoryUri", stack.workers().repository().getRepositoryUri());
    expect("Subnets", stack.network().subnetList());
    expect("SecurityGroup", stack.network().securityGroup().getSecurityGroupId());
    template.hasOutput("AssignPublicIp", Map.of("Value", "ENABLED"));
  }

  @Test
  void logGroupOutputsNameWhereToReadLogs() {
    expect("WorkerLogGroup", stack.workers().logGroup().getLogGroupName());
    expect("FunctionLogGroup", stack.trigger().logGroup().getLogGroupName());
  }

  private static void expect(String output, String token) {
    template.hasOutput(output, Map.of("Value", stack.resolve(token)));
  }
}
