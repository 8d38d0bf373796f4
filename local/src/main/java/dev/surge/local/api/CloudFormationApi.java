package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * CloudFormation, read-only: the one stack the local cloud stands for, {@value #STACK_NAME}, as
 * {@code DescribeStacks} shows the deployed one: {@code CREATE_COMPLETE} since the chain was made,
 * with the stack's outputs naming the local resources (the queues' URLs at the SQS endpoint, the
 * table, topic, function, alarm, cluster, task family, container, log groups; placeholder subnet
 * and security group, and the image's repository, which nothing pulls). So what reads a deployed
 * stack's outputs ({@code surge status --target aws}, {@code aws cloudformation describe-stacks})
 * finds the local chain. No stack is created, updated or deleted here.
 */
final class CloudFormationApi implements Service {
  /** The stack's name, as the infra module names it without a prefix. */
  static final String STACK_NAME = "Surge";

  private static final String DESCRIPTION =
      "Surge: the FastTrack SAA SQS & SNS demo (queue, alarm, topic, trigger function,"
          + " Fargate workers, DynamoDB table), on the local cloud";

  private final LocalChain chain;
  private final String stackId;

  CloudFormationApi(LocalChain chain) {
    this.chain = chain;
    // Stable for the chain's life, as a stack's id is for the stack's.
    UUID id =
        UUID.nameUUIDFromBytes(
            (STACK_NAME + "@" + chain.createdAt()).getBytes(StandardCharsets.UTF_8));
    this.stackId = chain.arn("cloudformation", "stack/" + STACK_NAME + "/" + id);
  }

  @Override
  public String signingName() {
    return "cloudformation";
  }

  @Override
  public String title() {
    return "CloudFormation";
  }

  @Override
  public List<String> operations() {
    return List.of("DescribeStacks");
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String xmlNamespace() {
    return "http://cloudformation.amazonaws.com/doc/2010-05-15/";
  }

  @Override
  public Object call(ApiRequest request) {
    Optional<String> name = Params.text(request.input(), "StackName").filter(s -> !s.isEmpty());
    if (name.isPresent() && !name.get().equals(STACK_NAME) && !name.get().equals(stackId)) {
      // CloudFormation's answer for a stack it does not have, which its clients match on.
      throw new ApiException(
          "ValidationError", "Stack with id " + name.get() + " does not exist", 400);
    }
    return struct("Stacks", List.of(stack()));
  }

  private Map<String, Object> stack() {
    List<Object> outputs = new ArrayList<>();
    outputs().forEach((key, value) -> outputs.add(struct("OutputKey", key, "OutputValue", value)));
    return struct(
        "StackId",
        stackId,
        "StackName",
        STACK_NAME,
        "Description",
        DESCRIPTION,
        "CreationTime",
        chain.createdAt(),
        "StackStatus",
        "CREATE_COMPLETE",
        "DisableRollback",
        false,
        "NotificationARNs",
        List.of(),
        "Outputs",
        outputs,
        "Tags",
        List.of(),
        "EnableTerminationProtection",
        false,
        "DriftInformation",
        struct("StackDriftStatus", "NOT_CHECKED"));
  }

  /** The stack's outputs, in the infra module's order, naming the local resources. */
  Map<String, String> outputs() {
    Map<String, String> o = new java.util.LinkedHashMap<>();
    o.put("QueueUrl", chain.queueUrl());
    o.put("DeadLetterQueueUrl", chain.deadLetterQueueUrl());
    o.put("TableName", chain.names().table());
    o.put("TopicArn", chain.topic().arn());
    o.put("FunctionName", chain.function().config().name());
    o.put("AlarmName", chain.alarm().name());
    o.put("ClusterName", chain.names().cluster());
    o.put("TaskDefinitionFamily", chain.names().taskFamily());
    o.put("ContainerName", chain.names().container());
    // No registry: the local task definition's image is <repository>:local and never pulled.
    o.put("RepositoryUri", chain.names().repository());
    o.put("Subnets", LocalChain.SUBNET);
    o.put("SecurityGroup", LocalChain.SECURITY_GROUP);
    o.put("AssignPublicIp", "ENABLED");
    o.put("WorkerLogGroup", chain.taskLogGroup());
    o.put("FunctionLogGroup", chain.functionLogGroup());
    return o;
  }
}
