package dev.surge.infra;

import dev.surge.core.trigger.ControlSchema;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.core.trigger.TriggerSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.subscriptions.LambdaSubscription;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The trigger: a Lambda function subscribed to the alarm's topic that starts worker tasks, and the
 * one-minute schedule that re-runs it as a reconciler while the alarm stays in ALARM. Its instances
 * take turns on the fleet's lease in the control table.
 *
 * <p>The function starts from a SnapStart snapshot: every deployment that changes its code or
 * configuration publishes a new version (Lambda initializes it once and snapshots the initialized
 * JVM), and alias {@value #ALIAS} points at it. The topic's subscription and the schedule invoke
 * the alias, never {@code $LATEST}, which SnapStart does not apply to; a cold start is then a
 * restore of the snapshot instead of a JVM start, class loading and SDK client set-up.
 */
final class TriggerFunction extends Construct {

  /**
   * The function's settings.
   *
   * @param functionName the function
   * @param code the trigger's shaded jar
   * @param scaling the scaling policy, passed as environment
   * @param reservedConcurrency the function's reserved concurrency; empty = unreserved
   * @param topic the topic the alarm notifies
   * @param alarm the alarm whose state the function checks
   * @param queue the queue whose backlog the function reads
   * @param cluster the cluster tasks are started in
   * @param taskFamily the task definition family started (its latest revision)
   * @param containerName the worker container, for overrides
   * @param taskRoles the task role and execution role the function passes to ECS
   * @param subnets comma-separated subnet ids for the tasks
   * @param securityGroupId the tasks' security group
   * @param assignPublicIp {@code ENABLED} or {@code DISABLED}
   * @param controlTable the table of the fleet's lease and recent launches
   */
  record Props(
      String functionName,
      Path code,
      ScalingProps scaling,
      Optional<Integer> reservedConcurrency,
      ITopic topic,
      IAlarm alarm,
      IQueue queue,
      ICluster cluster,
      String taskFamily,
      String containerName,
      List<IRole> taskRoles,
      String subnets,
      String securityGroupId,
      String assignPublicIp,
      ITable controlTable) {}

  /** The alias the topic and the schedule invoke: the latest published version. */
  static final String ALIAS = "live";

  /** The class and method Lambda calls, in module {@code trigger}. */
  static final String HANDLER = "dev.surge.trigger.TriggerHandler::handleRequest";

  /**
   * The reconciler's constant event: an SNS-shaped event with no records, which the handler treats
   * as a tick and acts on only while the alarm is in ALARM (alarm actions fire once per change).
   */
  static final Map<String, Object> RECONCILE_EVENT = Map.of("Records", List.of());

  private final Function function;
  private final Alias alias;
  private final LogGroup logGroup;
  private final Rule schedule;

  TriggerFunction(Construct scope, String id, Props props) {
    super(scope, id);
    this.logGroup =
        LogGroup.Builder.create(this, "LogGroup")
            .logGroupName("/aws/lambda/" + props.functionName())
            .retention(RetentionDays.ONE_WEEK)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    Role role =
        Role.Builder.create(this, "Role")
            .description("Surge trigger function: read the backlog and alarm, start worker tasks")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .build();
    // Instead of AWSLambdaBasicExecutionRole (logs on every group): writes to this group only.
    logGroup.grantWrite(role);
    grantScaling(role, props);

    Function.Builder builder =
        Function.Builder.create(this, "Function")
            .functionName(props.functionName())
            .description("Surge trigger: alarm notification -> scaling decision -> ECS RunTask")
            .runtime(Runtime.JAVA_21)
            .handler(HANDLER)
            .code(Code.fromAsset(props.code().toString()))
            .memorySize(1024)
            // A decision waits for a busy fleet lease up to its 30 s TTL and 5 s more, and then
            // still has time to decide.
            .timeout(Duration.seconds(60))
            .role(role)
            .logGroup(logGroup)
            .environment(environment(props))
            // Snapshots of published versions; $LATEST runs without (AWS applies SnapStart to
            // published versions only).
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            // A version replaced by the next deployment is deleted: the alias never points back.
            .currentVersionOptions(
                VersionOptions.builder().removalPolicy(RemovalPolicy.DESTROY).build());
    // 1 would serialise decisions, but accounts whose concurrency limit is 10 (new ones) cannot
    // reserve any: Lambda keeps 10 unreserved, so deploying fails there. Hence no default: the
    // lease in the control table serializes the decisions of concurrent instances instead.
    props.reservedConcurrency().ifPresent(builder::reservedConcurrentExecutions);
    this.function = builder.build();
    // currentVersion is a Version whose logical id hashes the code and configuration, so a change
    // of either publishes (and snapshots) a new one.
    this.alias =
        Alias.Builder.create(this, "Live")
            .aliasName(ALIAS)
            .version(function.getCurrentVersion())
            .description("The trigger's latest published version, started from its snapshot")
            .build();

    // Both grant lambda:InvokeFunction on the alias alone, to their own service and source.
    props.topic().addSubscription(new LambdaSubscription(alias));
    // The CDK's own check at synth (its "CloudFormation Validate") warns that a `lambda`
    // subscription's endpoint should be a function, not an alias. SNS takes a qualified function
    // ARN, an alias's, as the endpoint (the CDK's LambdaSubscription writes it so, and AWS's
    // cfn-lint finds nothing); the alias is what starts the trigger from its snapshot.
    Validations.of(alias)
        .acknowledge(
            Acknowledgment.builder()
                .id("CloudFormation-Validate::W3694")
                .reason(
                    "SNS invokes a function's alias by its qualified ARN; the alias runs the"
                        + " published version, from its SnapStart snapshot")
                .build());

    this.schedule =
        Rule.Builder.create(this, "Reconcile")
            .ruleName(props.functionName() + "-reconcile")
            .description(
                "Re-runs the trigger every minute: tops the fleet up in ALARM, starts a task for"
                    + " a backlog no task works on")
            .schedule(Schedule.rate(Duration.minutes(1)))
            .targets(
                List.of(
                    LambdaFunction.Builder.create(alias)
                        .event(RuleTargetInput.fromObject(RECONCILE_EVENT))
                        .build()))
            .build();
  }

  private static Map<String, String> environment(Props props) {
    ScalingProps scaling = props.scaling();
    Map<String, String> env = new LinkedHashMap<>();
    env.put(TriggerSettings.QUEUE, props.queue().getQueueUrl());
    env.put(TriggerSettings.ALARM, props.alarm().getAlarmName());
    env.put(TriggerSettings.POLICY, scaling.policy());
    env.put(TriggerSettings.MESSAGES_PER_TASK, Integer.toString(scaling.messagesPerTask()));
    env.put(TriggerSettings.MAX_TASKS, Integer.toString(scaling.maxTasks()));
    env.put(TriggerSettings.TASKS, Integer.toString(scaling.fixedTasks()));
    env.put(TriggerSettings.ACTIVATION, scaling.activation());
    env.put(EcsVariables.CLUSTER, props.cluster().getClusterName());
    env.put(EcsVariables.TASK_DEFINITION, props.taskFamily());
    env.put(EcsVariables.CONTAINER, props.containerName());
    env.put(EcsVariables.SUBNETS, props.subnets());
    env.put(EcsVariables.SECURITY_GROUPS, props.securityGroupId());
    env.put(EcsVariables.ASSIGN_PUBLIC_IP, props.assignPublicIp());
    env.put(EcsVariables.STARTED_BY, scaling.startedBy());
    env.put(ControlSchema.TABLE, props.controlTable().getTableName());
    return env;
  }

  private static void grantScaling(Role role, Props props) {
    Stack stack = Stack.of(role);
    String clusterArn = props.cluster().getClusterArn();
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("RunWorkerTasks")
            .actions(List.of("ecs:RunTask"))
            // Any revision of the family; the family name alone resolves to the latest one.
            .resources(
                List.of(
                    stack.formatArn(
                        ArnComponents.builder()
                            .service("ecs")
                            .resource("task-definition")
                            .resourceName(props.taskFamily() + ":*")
                            .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                            .build())))
            .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", clusterArn)))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("DescribeWorkerTasks")
            .actions(List.of("ecs:DescribeTasks"))
            // Task ARNs are task/<cluster name>/<task id>: this cluster's tasks only.
            .resources(
                List.of(
                    stack.formatArn(
                        ArnComponents.builder()
                            .service("ecs")
                            .resource("task")
                            .resourceName(props.cluster().getClusterName() + "/*")
                            .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                            .build())))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("ListWorkerTasks")
            .actions(List.of("ecs:ListTasks"))
            // ecs:ListTasks authorizes on container-instance ARNs, which Fargate tasks do not have;
            // the documented way to scope it is the ecs:cluster condition on resource "*".
            .resources(List.of("*"))
            .conditions(Map.of("ArnEquals", Map.of("ecs:cluster", clusterArn)))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("PassWorkerRoles")
            .actions(List.of("iam:PassRole"))
            .resources(props.taskRoles().stream().map(IRole::getRoleArn).toList())
            .conditions(
                Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("ReadBacklog")
            .actions(List.of("sqs:GetQueueAttributes"))
            .resources(List.of(props.queue().getQueueArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("FleetLease")
            // UpdateItem takes, renews and releases the lease and records launches; GetItem reads
            // the item outside the lease (who holds a lease that stayed busy). Nothing else.
            .actions(List.of("dynamodb:GetItem", "dynamodb:UpdateItem"))
            .resources(List.of(props.controlTable().getTableArn()))
            .build());
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .sid("ReadAlarmState")
            .actions(List.of("cloudwatch:DescribeAlarms"))
            .resources(List.of(props.alarm().getAlarmArn()))
            .build());
  }

  Function function() {
    return function;
  }

  /** The alias the topic and the schedule invoke. */
  Alias alias() {
    return alias;
  }

  LogGroup logGroup() {
    return logGroup;
  }

  Rule schedule() {
    return schedule;
  }
}
