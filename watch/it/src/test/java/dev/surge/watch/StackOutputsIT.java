package dev.surge.watch;

import static dev.surge.testing.AwsStub.cloudFormation;
import static dev.surge.testing.AwsStub.xml;
import static dev.surge.watch.StackOutputsFixture.deployedOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.testing.AwsStub;
import dev.surge.trigger.EcsSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * Reading the stack's outputs against a local HTTP stub of CloudFormation. This SDK version speaks
 * the AWS query protocol to CloudFormation: a form-encoded {@code Action=DescribeStacks} request,
 * an XML answer, and XML error documents.
 */
class StackOutputsIT {
  private static AwsStub stub;
  private static CloudFormationClient cloudFormation;

  @BeforeAll
  static void start() {
    stub = new AwsStub();
    AwsTarget target = new AwsTarget("us-east-1", Map.of("CLOUDFORMATION", stub.endpoint()), true);
    cloudFormation =
        new AwsClients(target, 1, List.of())
            .build(CloudFormationClient.builder(), "CLOUDFORMATION");
  }

  @AfterAll
  static void stop() {
    cloudFormation.close();
    stub.close();
  }

  @BeforeEach
  void reset() {
    stub.server.resetAll();
  }

  private static String describeStacks(String name, String status, Map<String, String> outputs) {
    String members =
        outputs.entrySet().stream()
            .map(
                e ->
                    "<member><OutputKey>"
                        + e.getKey()
                        + "</OutputKey><OutputValue>"
                        + e.getValue()
                        + "</OutputValue><Description>d</Description></member>")
            .collect(Collectors.joining());
    return "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
        + "<DescribeStacksResult><Stacks><member>"
        + "<StackName>"
        + name
        + "</StackName>"
        + "<StackId>arn:aws:cloudformation:us-east-1:"
        + AwsAnswers.ACCOUNT
        + ":stack/"
        + name
        + "/aaf549a0-a413-11df-adb3-5081b3858e83</StackId>"
        + "<CreationTime>2026-11-27T21:00:00Z</CreationTime>"
        + "<StackStatus>"
        + status
        + "</StackStatus>"
        + (status.startsWith("ROLLBACK")
            ? "<StackStatusReason>The following resource(s) failed to create: [Cluster]."
                + "</StackStatusReason>"
            : "")
        + "<Outputs>"
        + members
        + "</Outputs></member></Stacks></DescribeStacksResult>"
        + "<ResponseMetadata><RequestId>b9b4b068</RequestId></ResponseMetadata>"
        + "</DescribeStacksResponse>";
  }

  private static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
        + "<Error><Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error><RequestId>b2544024</RequestId></ErrorResponse>";
  }

  private static Map<String, String> form(LoggedRequest r) {
    return Arrays.stream(r.getBodyAsString().split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> p[0],
                p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
  }

  @Test
  void readsEveryOutputWithOneFormEncodedDescribeStacks() {
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(xml(200, describeStacks("Surge", "UPDATE_COMPLETE", deployedOutputs()))));

    StackOutputs o = StackOutputs.read(cloudFormation, "Surge");

    List<LoggedRequest> requests =
        stub.server.getAllServeEvents().stream()
            .map(e -> e.getRequest())
            .map(LoggedRequest.class::cast)
            .toList();
    assertThat(requests).hasSize(1);
    LoggedRequest r = requests.get(0);
    assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(form(r))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("Action", "DescribeStacks", "Version", "2010-05-15", "StackName", "Surge"));

    assertThat(o.stackName()).isEqualTo("Surge");
    assertThat(o.region()).isEqualTo("us-east-1");
    assertThat(o.stackStatus()).isEqualTo("UPDATE_COMPLETE");
    assertThat(o.queueUrl()).endsWith("/demo-decoupling-saa");
    assertThat(o.queueName()).isEqualTo("demo-decoupling-saa");
    assertThat(o.deadLetterQueueName()).isEqualTo("demo-decoupling-saa-dlq");
    assertThat(o.tableName()).isEqualTo("fasttracksaa");
    assertThat(o.topicArn()).isEqualTo("arn:aws:sns:us-east-1:123456789012:fasttrack-saa");
    assertThat(o.functionName()).isEqualTo("fasttrack-saa");
    assertThat(o.alarmName()).isEqualTo("fasttrack-saa-backlog");
    assertThat(o.repositoryUri()).endsWith("/fasttracksaa");
    assertThat(o.workerLogGroup()).isEqualTo("/ecs/fasttrack-saa");
    assertThat(o.functionLogGroup()).isEqualTo("/aws/lambda/fasttrack-saa");
    assertThat(o.toEcsSettings())
        .isEqualTo(
            new EcsSettings(
                "FastTrack-Saa-Sqs-demo",
                "fasttrack-saa-td",
                "fasttrack-saa",
                List.of("subnet-0a1b2c3d", "subnet-4e5f6a7b"),
                List.of("sg-0123456789abcdef0"),
                true,
                "surge"));
  }

  @Test
  void aMissingStackSaysWhereItLookedAndHowToDeploy() {
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(
                xml(400, error("ValidationError", "Stack with id DemoSurge does not exist"))));

    assertThatThrownBy(() -> StackOutputs.read(cloudFormation, "DemoSurge"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("stack 'DemoSurge' not found in us-east-1; deploy it with './surge deploy'");
  }

  @Test
  void aStackStillInProgressSaysItsStatus() {
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(
                xml(200, describeStacks("Surge", "UPDATE_IN_PROGRESS", deployedOutputs()))));

    assertThatThrownBy(() -> StackOutputs.read(cloudFormation, "Surge"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "stack 'Surge' in us-east-1 is UPDATE_IN_PROGRESS; wait until it is complete and run"
                + " again");
  }

  @Test
  void aRolledBackCreationSaysItsStatusAndReasonAndHowToRecover() {
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(xml(200, describeStacks("Surge", "ROLLBACK_COMPLETE", Map.of()))));

    assertThatThrownBy(() -> StackOutputs.read(cloudFormation, "Surge"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "stack 'Surge' in us-east-1 is ROLLBACK_COMPLETE (The following resource(s) failed to"
                + " create: [Cluster].); remove it with './surge destroy' and deploy it again with"
                + " './surge deploy'");
  }

  @Test
  void missingOutputsAreNamed() {
    Map<String, String> outputs = deployedOutputs();
    outputs.remove("AlarmName");
    outputs.remove("FunctionLogGroup");
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(xml(200, describeStacks("Surge", "CREATE_COMPLETE", outputs))));

    assertThatThrownBy(() -> StackOutputs.read(cloudFormation, "Surge"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "stack 'Surge' in us-east-1 lacks output(s) AlarmName, FunctionLogGroup; it was"
                + " deployed by another version of surge: deploy it again with './surge deploy'");
  }

  @Test
  void aDeniedCallIsAConfigErrorWithTheServicesCode() {
    stub.server.stubFor(
        cloudFormation("DescribeStacks")
            .willReturn(
                xml(
                    403,
                    error(
                        "AccessDenied",
                        "User is not authorized to perform: cloudformation:DescribeStacks"))));

    assertThatThrownBy(() -> StackOutputs.read(cloudFormation, "Surge"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read stack 'Surge' in us-east-1 (AccessDenied: User is not")
        .hasMessageEndingWith("use credentials allowed to call cloudformation:DescribeStacks");
  }
}
