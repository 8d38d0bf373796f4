package dev.surge.watch;

import dev.surge.core.ConfigException;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.trigger.EcsSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * What the deployed stack says about itself: its CloudFormation outputs (written by the infra
 * module's {@code SurgeStack}), typed. Everything the CLI needs to produce into, watch and report
 * on the AWS target.
 *
 * @param stackName the stack's name ({@code Surge} or {@code <prefix>Surge})
 * @param region the region it was read in
 * @param stackStatus its CloudFormation status when read ({@code CREATE_COMPLETE}, ...)
 * @param queueUrl output {@code QueueUrl}: the work queue
 * @param deadLetterQueueUrl output {@code DeadLetterQueueUrl}
 * @param tableName output {@code TableName}
 * @param topicArn output {@code TopicArn}: the topic the alarm notifies
 * @param functionName output {@code FunctionName}: the trigger function
 * @param alarmName output {@code AlarmName}: the backlog alarm
 * @param clusterName output {@code ClusterName}
 * @param taskDefinitionFamily output {@code TaskDefinitionFamily}
 * @param containerName output {@code ContainerName}: the worker container
 * @param repositoryUri output {@code RepositoryUri}: the worker image repository
 * @param subnets output {@code Subnets}, split at commas
 * @param securityGroups output {@code SecurityGroup}, split at commas
 * @param assignPublicIp output {@code AssignPublicIp} is {@code ENABLED}
 * @param workerLogGroup output {@code WorkerLogGroup}
 * @param functionLogGroup output {@code FunctionLogGroup}
 */
public record StackOutputs(
    String stackName,
    String region,
    String stackStatus,
    String queueUrl,
    String deadLetterQueueUrl,
    String tableName,
    String topicArn,
    String functionName,
    String alarmName,
    String clusterName,
    String taskDefinitionFamily,
    String containerName,
    String repositoryUri,
    List<String> subnets,
    List<String> securityGroups,
    boolean assignPublicIp,
    String workerLogGroup,
    String functionLogGroup) {

  /** The stack's name without a prefix (the infra module's default). */
  public static final String DEFAULT_STACK_NAME = "Surge";

  /** What to do when a resource the stack declares is missing. */
  public static final String CHANGED_OUTSIDE =
      "the stack was changed outside surge: deploy it again with './surge deploy'";

  /** The output keys this record is read from, in the stack's order. */
  public static final List<String> KEYS =
      List.of(
          "QueueUrl",
          "DeadLetterQueueUrl",
          "TableName",
          "TopicArn",
          "FunctionName",
          "AlarmName",
          "ClusterName",
          "TaskDefinitionFamily",
          "ContainerName",
          "RepositoryUri",
          "Subnets",
          "SecurityGroup",
          "AssignPublicIp",
          "WorkerLogGroup",
          "FunctionLogGroup");

  // The stack's resources are in place in these; a rolled-back creation has none left.
  private static final Set<String> USABLE =
      Set.of(
          "CREATE_COMPLETE",
          "UPDATE_COMPLETE",
          "UPDATE_ROLLBACK_COMPLETE",
          "IMPORT_COMPLETE",
          "IMPORT_ROLLBACK_COMPLETE",
          // The update is done; only replaced resources are being removed.
          "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
          "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");

  /** Requires every value (none blank, 1 to 16 subnets); copies the lists. */
  public StackOutputs {
    requireText(stackName, "stackName");
    requireText(region, "region");
    requireText(stackStatus, "stackStatus");
    requireText(queueUrl, "queueUrl");
    requireText(deadLetterQueueUrl, "deadLetterQueueUrl");
    requireText(tableName, "tableName");
    requireText(topicArn, "topicArn");
    requireText(functionName, "functionName");
    requireText(alarmName, "alarmName");
    requireText(clusterName, "clusterName");
    requireText(taskDefinitionFamily, "taskDefinitionFamily");
    requireText(containerName, "containerName");
    requireText(repositoryUri, "repositoryUri");
    subnets = List.copyOf(subnets);
    securityGroups = List.copyOf(securityGroups);
    if (subnets.isEmpty() || subnets.size() > 16) {
      throw new IllegalArgumentException("1 to 16 subnets are needed, got " + subnets.size());
    }
    requireText(workerLogGroup, "workerLogGroup");
    requireText(functionLogGroup, "functionLogGroup");
  }

  /**
   * The stack's name for a resource-name prefix ({@code ""} or {@code null} for none, as an absent
   * {@code --prefix} arrives): {@code <prefix>Surge}.
   */
  public static String stackName(String prefix) {
    return (prefix == null ? "" : prefix) + DEFAULT_STACK_NAME;
  }

  /**
   * Reads the outputs of {@code stackName} with one {@code DescribeStacks} call.
   *
   * @throws ConfigException when the stack does not exist in the client's region, is not in a
   *     usable state (being created, updated or deleted, or failed), lacks outputs, or cannot be
   *     read (no credentials, no permission)
   */
  public static StackOutputs read(CloudFormationClient cloudFormation, String stackName) {
    String region = cloudFormation.serviceClientConfiguration().region().id();
    List<Stack> stacks;
    try {
      stacks = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks();
    } catch (CloudFormationException e) {
      if (e.awsErrorDetails() != null
          && "ValidationError".equals(e.awsErrorDetails().errorCode())
          && String.valueOf(e.awsErrorDetails().errorMessage()).contains("does not exist")) {
        throw notFound(stackName, region, e);
      }
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ";
      String message =
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      throw new ConfigException(
          "cannot read stack '"
              + stackName
              + "' in "
              + region
              + " ("
              + code
              + message
              + "); use credentials allowed to call cloudformation:DescribeStacks",
          e);
    } catch (SdkClientException e) {
      throw new ConfigException(
          "cannot reach CloudFormation in "
              + region
              + " ("
              + e.getMessage()
              + "); check the AWS credentials and AWS_REGION",
          e);
    }
    if (stacks.isEmpty()) {
      throw notFound(stackName, region, null);
    }
    Stack stack = stacks.get(0);
    String status = stack.stackStatusAsString();
    if (status == null || !USABLE.contains(status)) {
      throw new ConfigException(unusable(stackName, region, status, stack.stackStatusReason()));
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    for (Output o : stack.outputs()) {
      if (o.outputKey() != null && o.outputValue() != null) {
        outputs.put(o.outputKey(), o.outputValue());
      }
    }
    return of(stackName, region, status, outputs);
  }

  /**
   * The outputs from the map of output key to value.
   *
   * @throws ConfigException naming every missing (or blank) output, or a bad {@code AssignPublicIp}
   */
  public static StackOutputs of(
      String stackName, String region, String stackStatus, Map<String, String> outputs) {
    List<String> missing = new ArrayList<>();
    for (String key : KEYS) {
      String v = outputs.get(key);
      if (v == null || v.isBlank()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "stack '"
              + stackName
              + "' in "
              + region
              + " lacks output(s) "
              + String.join(", ", missing)
              + "; it was deployed by another version of surge: deploy it again with"
              + " './surge deploy'");
    }
    String ip = outputs.get("AssignPublicIp").strip().toUpperCase(Locale.ROOT);
    if (!ip.equals("ENABLED") && !ip.equals("DISABLED")) {
      throw new ConfigException(
          "stack '"
              + stackName
              + "' output AssignPublicIp is '"
              + ip
              + "', not ENABLED or DISABLED; deploy it again with './surge deploy'");
    }
    List<String> subnets = list(outputs.get("Subnets"));
    if (subnets.isEmpty() || subnets.size() > 16) {
      throw new ConfigException(
          "stack '"
              + stackName
              + "' output Subnets names "
              + subnets.size()
              + " subnets, not 1 to 16; deploy it again with './surge deploy'");
    }
    return new StackOutputs(
        stackName,
        region,
        stackStatus,
        outputs.get("QueueUrl"),
        outputs.get("DeadLetterQueueUrl"),
        outputs.get("TableName"),
        outputs.get("TopicArn"),
        outputs.get("FunctionName"),
        outputs.get("AlarmName"),
        outputs.get("ClusterName"),
        outputs.get("TaskDefinitionFamily"),
        outputs.get("ContainerName"),
        outputs.get("RepositoryUri"),
        subnets,
        list(outputs.get("SecurityGroup")),
        ip.equals("ENABLED"),
        outputs.get("WorkerLogGroup"),
        outputs.get("FunctionLogGroup"));
  }

  /**
   * How the trigger function starts tasks in this stack, with the {@code startedBy} tag it uses
   * ({@value EcsVariables#DEFAULT_STARTED_BY}): what lists them.
   */
  public EcsSettings toEcsSettings() {
    return new EcsSettings(
        clusterName,
        taskDefinitionFamily,
        containerName,
        subnets,
        securityGroups,
        assignPublicIp,
        EcsVariables.DEFAULT_STARTED_BY);
  }

  /** The work queue's name (the last part of its URL). */
  public String queueName() {
    return lastSegment(queueUrl);
  }

  /** The dead-letter queue's name (the last part of its URL). */
  public String deadLetterQueueName() {
    return lastSegment(deadLetterQueueUrl);
  }

  private static ConfigException notFound(String stackName, String region, Exception cause) {
    return new ConfigException(
        "stack '" + stackName + "' not found in " + region + "; deploy it with './surge deploy'",
        cause);
  }

  private static String unusable(String stackName, String region, String status, String reason) {
    String why = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    String what = "stack '" + stackName + "' in " + region + " is " + status + why + "; ";
    if (status != null && status.endsWith("_IN_PROGRESS")) {
      return what + "wait until it is complete and run again";
    }
    return what + "remove it with './surge destroy' and deploy it again with './surge deploy'";
  }

  private static String lastSegment(String url) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return u.substring(u.lastIndexOf('/') + 1);
  }

  private static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
