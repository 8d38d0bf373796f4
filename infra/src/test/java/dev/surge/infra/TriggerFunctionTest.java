package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The trigger function, its subscription to the topic and its reconcile schedule. */
class TriggerFunctionTest {
  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void theStackHasOneFunction() {
    // No custom-resource or log-retention helper functions beside the trigger.
    template.resourceCountIs("AWS::Lambda::Function", 1);
  }

  @Test
  void functionRunsTheTriggerHandlerOnJava21() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "FunctionName", "fasttrack-saa",
            "Runtime", "java21",
            "Handler", "dev.surge.trigger.TriggerHandler::handleRequest",
            "MemorySize", 1024,
            "Timeout", 60));
  }

  @Test
  void functionCodeIsTheGivenJarAsIs() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of("Code", Map.of("S3Key", Match.stringLikeRegexp("^[0-9a-f]{64}\\.jar$"))));
  }

  @Test
  void functionEnvironmentTellsTheTriggerWhatToWatchAndWhereToStartTasks() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("SURGE_QUEUE", stack.resolve(stack.queue().queue().getQueueUrl()));
    expected.put("SURGE_ALARM", stack.resolve(stack.backlog().alarm().getAlarmName()));
    expected.put("SURGE_POLICY", "proportional");
    expected.put("SURGE_MESSAGES_PER_TASK", "300");
    expected.put("SURGE_MAX_TASKS", "10");
    expected.put("SURGE_TASKS", "4");
    expected.put("SURGE_ACTIVATION", "backlog");
    expected.put("SURGE_CLUSTER", stack.resolve(stack.workers().cluster().getClusterName()));
    expected.put("SURGE_TASK_DEFINITION", "fasttrack-saa-td");
    expected.put("SURGE_CONTAINER", "fasttrack-saa");
    expected.put("SURGE_SUBNETS", stack.resolve(stack.network().subnetList()));
    expected.put(
        "SURGE_SECURITY_GROUPS",
        stack.resolve(stack.network().securityGroup().getSecurityGroupId()));
    expected.put("SURGE_ASSIGN_PUBLIC_IP", "ENABLED");
    expected.put("SURGE_STARTED_BY", "surge");
    expected.put("SURGE_CONTROL_TABLE", stack.resolve(stack.control().table().getTableName()));
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("Environment", Map.of("Variables", Match.exact(expected))));
  }

  @Test
  void subnetsListEveryPublicSubnetOfTheNewVpc() {
    Object subnets = stack.resolve(stack.network().subnetList());
    assertThat(subnets.toString()).contains("publicSubnet1", "publicSubnet2");
  }

  @Test
  void concurrencyIsNotReservedByDefault() {
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("ReservedConcurrentExecutions", Match.absent()));
  }

  @Test
  void functionLogsGoToItsOwnGroupKeptOneWeek() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "LoggingConfig",
            Map.of("LogGroup", stack.resolve(stack.trigger().logGroup().getLogGroupName()))));
    template.hasResourceProperties(
        "AWS::Logs::LogGroup",
        Map.of("LogGroupName", "/aws/lambda/fasttrack-saa", "RetentionInDays", 7));
  }

  @Test
  void functionIsSubscribedToTheTopic() {
    template.resourceCountIs("AWS::SNS::Subscription", 1);
    template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of(
            "Protocol", "lambda",
            "TopicArn", stack.resolve(stack.backlog().topic().getTopicArn()),
            "Endpoint", stack.resolve(stack.trigger().alias().getFunctionArn())));
  }

  @Test
  void snsMayInvokeTheFunctionFromTheTopicOnly() {
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "Action",
            "lambda:InvokeFunction",
            "Principal",
            "sns.amazonaws.com",
            "SourceArn",
            stack.resolve(stack.backlog().topic().getTopicArn()),
            "FunctionName",
            stack.resolve(stack.trigger().alias().getFunctionArn())));
  }

  @Test
  void aRuleInvokesTheFunctionEveryMinuteWithAnEmptyRecordList() {
    template.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "ScheduleExpression", "rate(1 minute)",
            "State", "ENABLED",
            "Targets",
                List.of(
                    Map.of(
                        "Arn", stack.resolve(stack.trigger().alias().getFunctionArn()),
                        "Input", Match.serializedJson(Map.of("Records", List.of()))))));
  }

  @Test
  void eventBridgeMayInvokeTheFunctionFromTheRuleOnly() {
    template.hasResourceProperties(
        "AWS::Lambda::Permission",
        Map.of(
            "Principal",
            "events.amazonaws.com",
            "SourceArn",
            stack.resolve(stack.trigger().schedule().getRuleArn()),
            "FunctionName",
            stack.resolve(stack.trigger().alias().getFunctionArn())));
  }

  @Test
  void snapStartSnapshotsEveryPublishedVersion() {
    template.hasResourceProperties(
        "AWS::Lambda::Function", Map.of("SnapStart", Map.of("ApplyOn", "PublishedVersions")));
  }

  @Test
  void oneVersionIsPublishedAndTheLiveAliasPointsAtIt() {
    template.resourceCountIs("AWS::Lambda::Version", 1);
    template.hasResourceProperties(
        "AWS::Lambda::Version",
        Map.of("FunctionName", stack.resolve(stack.trigger().function().getFunctionName())));
    template.resourceCountIs("AWS::Lambda::Alias", 1);
    template.hasResourceProperties(
        "AWS::Lambda::Alias",
        Map.of(
            "Name",
            "live",
            "FunctionName",
            stack.resolve(stack.trigger().function().getFunctionName()),
            "FunctionVersion",
            stack.resolve(stack.trigger().function().getCurrentVersion().getVersion())));
  }

  @Test
  void aReplacedVersionIsDeleted() {
    template.hasResource("AWS::Lambda::Version", Map.of("DeletionPolicy", "Delete"));
  }

  @Test
  void nothingMayInvokeTheUnpublishedFunction() {
    // Only the alias (a snapshot) is invoked: no permission names the function itself ($LATEST).
    Object unqualified = stack.resolve(stack.trigger().function().getFunctionArn());
    Map<String, Map<String, Object>> permissions =
        template.findResources("AWS::Lambda::Permission");
    assertThat(permissions).hasSize(2);
    permissions
        .values()
        .forEach(
            p -> {
              Object properties = p.get("Properties");
              assertThat(properties).isInstanceOf(Map.class);
              Object name = ((Map<?, ?>) properties).get("FunctionName");
              assertThat(name)
                  .isEqualTo(stack.resolve(stack.trigger().alias().getFunctionArn()))
                  .isNotEqualTo(unqualified);
            });
  }
}
