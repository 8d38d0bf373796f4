package dev.surge.watch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of a deployed stack, in the stubs' account: what the integration tests' stub of
 * CloudFormation answers and what {@link StackOutputsTest} turns into typed values.
 */
final class StackOutputsFixture {
  private StackOutputsFixture() {}

  static Map<String, String> deployedOutputs() {
    Map<String, String> o = new LinkedHashMap<>();
    String account = AwsAnswers.ACCOUNT;
    o.put("QueueUrl", "https://sqs.us-east-1.amazonaws.com/" + account + "/demo-decoupling-saa");
    o.put(
        "DeadLetterQueueUrl",
        "https://sqs.us-east-1.amazonaws.com/" + account + "/demo-decoupling-saa-dlq");
    o.put("TableName", "fasttracksaa");
    o.put("TopicArn", "arn:aws:sns:us-east-1:" + account + ":fasttrack-saa");
    o.put("FunctionName", "fasttrack-saa");
    o.put("AlarmName", "fasttrack-saa-backlog");
    o.put("ClusterName", "FastTrack-Saa-Sqs-demo");
    o.put("TaskDefinitionFamily", "fasttrack-saa-td");
    o.put("ContainerName", "fasttrack-saa");
    o.put("RepositoryUri", account + ".dkr.ecr.us-east-1.amazonaws.com/fasttracksaa");
    o.put("Subnets", "subnet-0a1b2c3d,subnet-4e5f6a7b");
    o.put("SecurityGroup", "sg-0123456789abcdef0");
    o.put("AssignPublicIp", "ENABLED");
    o.put("WorkerLogGroup", "/ecs/fasttrack-saa");
    o.put("FunctionLogGroup", "/aws/lambda/fasttrack-saa");
    return o;
  }
}
