package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.surge.infra.PolicyStatements.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Least privilege: which role may do what, on which resource. */
class IamTest {
  /**
   * The only actions allowed on resource "*", each because AWS offers nothing narrower for it.
   * Every other statement must name its resources.
   */
  static final Map<String, String> STAR_RESOURCE_ALLOW_LIST =
      Map.of(
          "ecr:GetAuthorizationToken",
          "has no resource type: the registry token is account-wide (execution role, image pull)",
          "ecs:ListTasks",
          "authorizes on container-instance ARNs that Fargate tasks lack; scoped by ecs:cluster");

  private static SurgeStack stack;
  private static Template template;

  @BeforeAll
  static void synthesize() {
    stack = Synthesized.defaultStack();
    template = Synthesized.defaultTemplate();
  }

  @Test
  void noStatementUsesAWildcardAction() {
    List<String> actions =
        PolicyStatements.all(template).stream().flatMap(s -> s.actions().stream()).toList();
    assertThat(actions).isNotEmpty().noneMatch(a -> a.equals("*") || a.endsWith(":*"));
  }

  @Test
  void onlyAllowListedActionsUseTheWildcardResource() {
    List<Statement> starred =
        PolicyStatements.all(template).stream().filter(s -> s.resources().contains("*")).toList();
    assertThat(starred)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(STAR_RESOURCE_ALLOW_LIST).containsKeys(asArray(s.actions())));
  }

  @Test
  void listTasksOnTheWildcardResourceIsLimitedToTheCluster() {
    Statement list =
        PolicyStatements.all(template).stream()
            .filter(s -> s.actions().contains("ecs:ListTasks"))
            .findFirst()
            .orElseThrow();
    assertThat(list.condition())
        .isEqualTo(
            Map.of(
                "ArnEquals",
                Map.of("ecs:cluster", stack.resolve(stack.workers().cluster().getClusterArn()))));
  }

  @Test
  void rolesCarryNoManagedPolicy() {
    template.allResourcesProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", Match.absent()));
  }

  @Test
  void taskRoleMayDrainTheQueueAndWriteTheTableAndNothingElse() {
    List<Statement> statements = PolicyStatements.of(template, stack, stack.workers().taskRole());
    assertThat(statements)
        .extracting(Statement::actions, Statement::resources, Statement::condition)
        .containsExactlyInAnyOrder(
            tuple(
                List.of(
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueAttributes"),
                List.of(stack.resolve(stack.queue().queue().getQueueArn())),
                Map.of()),
            tuple(
                List.of("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:DescribeTable"),
                List.of(stack.resolve(stack.table().table().getTableArn())),
                Map.of()));
  }

  @Test
  void executionRoleMayPullFromTheRepositoryAndWriteTheWorkerLogGroup() {
    List<Statement> statements =
        PolicyStatements.of(template, stack, stack.workers().executionRole());
    assertThat(statements)
        .extracting(Statement::actions, Statement::resources)
        .containsExactlyInAnyOrder(
            tuple(
                List.of(
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage"),
                List.of(stack.resolve(stack.workers().repository().getRepositoryArn()))),
            tuple(List.of("ecr:GetAuthorizationToken"), List.of("*")),
            tuple(
                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(stack.resolve(stack.workers().logGroup().getLogGroupArn()))));
  }

  @Test
  void functionMayPassExactlyTheTwoTaskRolesAndOnlyToEcsTasks() {
    Statement pass = functionStatement("iam:PassRole");
    assertThat(pass.resources())
        .containsExactlyInAnyOrder(
            stack.resolve(stack.workers().taskRole().getRoleArn()),
            stack.resolve(stack.workers().executionRole().getRoleArn()));
    assertThat(pass.condition())
        .isEqualTo(
            Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
  }

  @Test
  void functionMayRunAnyRevisionOfTheFamilyInTheClusterOnly() {
    Statement run = functionStatement("ecs:RunTask");
    assertThat(run.resources()).hasSize(1);
    assertThat(joinParts(run.resources().get(0)))
        .containsSubsequence(":ecs:", ":task-definition/fasttrack-saa-td:*");
    assertThat(run.condition())
        .isEqualTo(
            Map.of(
                "ArnEquals",
                Map.of("ecs:cluster", stack.resolve(stack.workers().cluster().getClusterArn()))));
  }

  @Test
  void functionMayDescribeTheClustersTasksOnly() {
    Statement describe = functionStatement("ecs:DescribeTasks");
    assertThat(describe.resources()).hasSize(1);
    assertThat(joinParts(describe.resources().get(0)))
        .containsSubsequence(
            ":ecs:", ":task/", stack.resolve(stack.workers().cluster().getClusterName()), "/*")
        .last()
        .isEqualTo("/*");
  }

  @Test
  void functionMayReadTheBacklogAndTheAlarmStateOfItsOwnQueueAndAlarm() {
    assertThat(functionStatement("sqs:GetQueueAttributes").resources())
        .containsExactly(stack.resolve(stack.queue().queue().getQueueArn()));
    assertThat(functionStatement("cloudwatch:DescribeAlarms").resources())
        .containsExactly(stack.resolve(stack.backlog().alarm().getAlarmArn()));
  }

  @Test
  void functionMayReadAndUpdateItemsOfTheControlTableOnly() {
    Statement lease = functionStatement("dynamodb:UpdateItem");
    assertThat(lease.actions()).containsExactly("dynamodb:GetItem", "dynamodb:UpdateItem");
    assertThat(lease.resources())
        .containsExactly(stack.resolve(stack.control().table().getTableArn()));
    assertThat(lease.condition()).isEmpty();
  }

  @Test
  void functionMayNotTouchTheItemTable() {
    Object items = stack.resolve(stack.table().table().getTableArn());
    assertThat(PolicyStatements.of(template, stack, stack.trigger().function().getRole()))
        .noneMatch(s -> s.resources().contains(items));
  }

  @Test
  void functionWritesOnlyToItsOwnLogGroup() {
    assertThat(functionStatement("logs:PutLogEvents").resources())
        .containsExactly(stack.resolve(stack.trigger().logGroup().getLogGroupArn()));
  }

  @Test
  void functionRoleHasNoOtherAction() {
    List<String> actions =
        PolicyStatements.of(template, stack, stack.trigger().function().getRole()).stream()
            .flatMap(s -> s.actions().stream())
            .toList();
    assertThat(actions)
        .containsExactlyInAnyOrder(
            "ecs:RunTask",
            "ecs:DescribeTasks",
            "ecs:ListTasks",
            "iam:PassRole",
            "sqs:GetQueueAttributes",
            "cloudwatch:DescribeAlarms",
            "dynamodb:GetItem",
            "dynamodb:UpdateItem",
            "logs:CreateLogStream",
            "logs:PutLogEvents");
  }

  private static Statement functionStatement(String action) {
    List<Statement> matching =
        PolicyStatements.of(template, stack, stack.trigger().function().getRole()).stream()
            .filter(s -> s.actions().contains(action))
            .toList();
    assertThat(matching).as("statements allowing %s", action).hasSize(1);
    return matching.get(0);
  }

  /** The parts of a {@code Fn::Join} with an empty separator (how CDK renders ARNs). */
  private static List<Object> joinParts(Object arn) {
    assertThat(arn).isInstanceOf(Map.class);
    List<?> join = (List<?>) ((Map<?, ?>) arn).get("Fn::Join");
    assertThat(join).as("Fn::Join of %s", arn).isNotNull().hasSize(2).first().isEqualTo("");
    return List.copyOf((List<?>) join.get(1));
  }

  private static String[] asArray(List<String> actions) {
    return actions.toArray(String[]::new);
  }
}
