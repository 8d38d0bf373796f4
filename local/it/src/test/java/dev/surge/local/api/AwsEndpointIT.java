package dev.surge.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ResourceNames;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.local.LocalCloud;
import dev.surge.local.LocalCloudOptions;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.producer.Producer;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.aws.PinnedPython;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The chain, watched and driven through the one AWS endpoint as one would the deployed chain: a
 * burst runs through alarm, topic, function and tasks, then the Java SDK, the aws CLI and boto3
 * read every box back, each with nothing but the endpoint, and the answers are the chain's own (the
 * alarm went to ALARM, the tasks with their exit codes, a task's log lines, the table's count).
 * Then each writes (the alarm's state, alarms, topics, subscriptions, publishing, invoking the
 * function) and the effect is read back the same way; with the queue drained, no write starts a
 * task.
 */
@Order(1) // among the longest: started first
@Execution(ExecutionMode.CONCURRENT) // the reads share the chain; each write has it to itself
class AwsEndpointIT {
  /** The lock of the one chain: the reads share it, a write takes it alone. */
  private static final String CHAIN = "aws-endpoint-it-chain";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceNames NAMES = ResourceNames.seed();
  private static final int MESSAGES = 400;

  private static Path logs;
  private static LocalCloud cloud;
  private static URI endpoint;
  private static Instant started;
  private static AwsClients clients;
  private static CloudWatchClient cloudWatch;
  private static SnsClient sns;
  private static LambdaClient lambda;
  private static EcsClient ecs;
  private static CloudWatchLogsClient logsClient;
  private static StsClient sts;
  private static AwsTools tools;

  /** A task as DescribeTasks showed it while it ran. */
  private static Task whileRunning;

  @BeforeAll
  static void burst() throws Exception {
    logs =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target").toAbsolutePath()), "aws-endpoint-it");
    started = Instant.now();
    cloud =
        LocalCloud.start(
            LocalCloudOptions.seed(0, 0, logs)
                .withAlarmPeriod(Duration.ofSeconds(1))
                .withQueue(new QueueOptions(Duration.ofSeconds(10), 5))
                .withTuning(
                    WorkerTuning.defaults()
                        .withConcurrency(2)
                        .withPollWait(Duration.ofSeconds(1))
                        .withIdleWindow(Duration.ofSeconds(2))),
            new EventLog(10_000),
            Clock.systemUTC());
    endpoint = cloud.awsEndpoint();
    tools = new AwsTools(endpoint, logs);
    // Every client knows the one endpoint only, as with AWS_ENDPOINT_URL.
    clients = new AwsClients(new AwsTarget("us-east-1", Map.of("", endpoint), true), 4, List.of());
    cloudWatch = clients.build(CloudWatchClient.builder(), "CLOUDWATCH");
    sns = clients.build(SnsClient.builder(), "SNS");
    lambda = clients.build(LambdaClient.builder(), "LAMBDA");
    ecs = clients.build(EcsClient.builder(), "ECS");
    logsClient = clients.build(CloudWatchLogsClient.builder(), "LOGS");
    sts = clients.build(StsClient.builder(), "STS");

    new Producer(cloud.sqs(), cloud.queues().url(), Backoff.standard())
        .produce(MESSAGES, 4, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
    // A task while it runs, as ListTasks and DescribeTasks show it.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<String> arns = ecs.listTasks(b -> b.cluster(NAMES.cluster())).taskArns();
              if (arns.isEmpty()) {
                return false;
              }
              whileRunning =
                  ecs.describeTasks(b -> b.cluster(NAMES.cluster()).tasks(arns.get(0)))
                      .tasks()
                      .get(0);
              return true;
            });
    // The burst drains and every task exits by itself.
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () ->
                cloud.monitor().countItems() == MESSAGES
                    && !cloud.launcher().tasks().isEmpty()
                    && cloud.launcher().tasks().stream()
                        .allMatch(t -> t.state() == TaskState.STOPPED));
  }

  @AfterAll
  static void stop() throws Exception {
    if (tools != null) {
      tools.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {cloudWatch, sns, lambda, ecs, logsClient, sts}) {
      if (c != null) {
        c.close();
      }
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  private static Dimension queueDimension(String queue) {
    return Dimension.builder().name("QueueName").value(queue).build();
  }

  private static String newState(AlarmHistoryItem item) {
    try {
      return JSON.readTree(item.historyData()).at("/newState/stateValue").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String topicArn() {
    return "arn:aws:sns:us-east-1:000000000000:" + NAMES.topic();
  }

  private static String functionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + NAMES.function();
  }

  // --- the Java SDK ------------------------------------------------------------------------------

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void theJavaSdkSeesTheAlarmFireAndItsHistoryAndTheMetricItMeasured() {
    assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");

    List<MetricAlarm> alarms =
        cloudWatch.describeAlarms(b -> b.alarmNames(NAMES.alarm())).metricAlarms();
    assertThat(alarms).hasSize(1);
    MetricAlarm alarm = alarms.get(0);
    assertThat(alarm.stateValue()).isEqualTo(StateValue.fromValue(cloud.alarm().state().name()));
    assertThat(alarm.threshold()).isEqualTo(100.0);
    assertThat(alarm.period()).isEqualTo(1);
    assertThat(alarm.namespace()).isEqualTo("AWS/SQS");
    assertThat(alarm.metricName()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(alarm.dimensions())
        .containsExactly(Dimension.builder().name("QueueName").value(NAMES.queue()).build());
    assertThat(alarm.alarmActions()).containsExactly(topicArn());
    assertThat(
            cloudWatch
                .describeAlarms(b -> b.stateValue(StateValue.INSUFFICIENT_DATA))
                .metricAlarms())
        .isEmpty();

    List<AlarmHistoryItem> history =
        cloudWatch
            .describeAlarmHistory(
                b -> b.alarmName(NAMES.alarm()).historyItemType(HistoryItemType.STATE_UPDATE))
            .alarmHistoryItems();
    assertThat(history)
        .extracting(AlarmHistoryItem::historySummary)
        .anyMatch(s -> s.endsWith("to ALARM"));
    assertThat(history).extracting(AwsEndpointIT::newState).contains("ALARM");
    List<Instant> times = history.stream().map(AlarmHistoryItem::timestamp).toList();
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(times).allMatch(t -> !t.isBefore(started.minusSeconds(1)));
    assertThat(history.size()).isEqualTo(cloud.alarm().history().size());

    // The alarm fired, so one of the samples it took was above its threshold of 100.
    Instant now = Instant.now();
    List<Datapoint> points =
        cloudWatch
            .getMetricStatistics(
                b ->
                    b.namespace("AWS/SQS")
                        .metricName("ApproximateNumberOfMessagesVisible")
                        .dimensions(
                            Dimension.builder().name("QueueName").value(NAMES.queue()).build())
                        .startTime(started.minusSeconds(60))
                        .endTime(now.plusSeconds(60))
                        .period(1)
                        .statistics(Statistic.MAXIMUM, Statistic.SAMPLE_COUNT))
            .datapoints();
    assertThat(points).isNotEmpty();
    assertThat(points).allMatch(p -> p.sampleCount() == 1.0);
    assertThat(points.stream().mapToDouble(Datapoint::maximum).max().orElseThrow())
        .isGreaterThan(100)
        .isLessThanOrEqualTo(MESSAGES);
    MetricDataQuery visible =
        MetricDataQuery.builder()
            .id("visible")
            .metricStat(
                MetricStat.builder()
                    .period(60)
                    .stat("Maximum")
                    .metric(
                        Metric.builder()
                            .namespace("AWS/SQS")
                            .metricName("ApproximateNumberOfMessagesVisible")
                            .dimensions(queueDimension(NAMES.queue()))
                            .build())
                    .build())
            .build();
    MetricDataResult data =
        cloudWatch
            .getMetricData(
                b ->
                    b.startTime(started.minusSeconds(60))
                        .endTime(now.plusSeconds(60))
                        .metricDataQueries(visible))
            .metricDataResults()
            .get(0);
    assertThat(data.id()).isEqualTo("visible");
    assertThat(data.values()).hasSameSizeAs(data.timestamps());
    assertThat(data.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .isGreaterThan(100);
    // Another queue's metric has no datapoints, as in CloudWatch for a metric nobody publishes.
    assertThat(
            cloudWatch
                .getMetricStatistics(
                    b ->
                        b.namespace("AWS/SQS")
                            .metricName("ApproximateNumberOfMessagesVisible")
                            .dimensions(queueDimension("another"))
                            .startTime(started)
                            .endTime(now)
                            .period(60)
                            .statistics(Statistic.MAXIMUM))
                .datapoints())
        .isEmpty();
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void theJavaSdkSeesTheTopicItsSubscriptionAndTheFunction() {
    // The chain's topic, first (the writes below make others).
    assertThat(sns.listTopics().topics())
        .first()
        .extracting(t -> t.topicArn())
        .isEqualTo(topicArn());
    Map<String, String> attributes =
        sns.getTopicAttributes(b -> b.topicArn(topicArn())).attributes();
    assertThat(attributes)
        .containsEntry("TopicArn", topicArn())
        .containsEntry("Owner", "000000000000")
        .containsEntry("SubscriptionsConfirmed", "1");
    for (List<Subscription> subs :
        List.of(
            sns.listSubscriptions().subscriptions().stream()
                .filter(sub -> sub.topicArn().equals(topicArn()))
                .toList(),
            sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn())).subscriptions())) {
      assertThat(subs).hasSize(1);
      assertThat(subs.get(0).protocol()).isEqualTo("lambda");
      assertThat(subs.get(0).endpoint()).isEqualTo(functionArn());
      assertThat(subs.get(0).topicArn()).isEqualTo(topicArn());
      assertThat(subs.get(0).subscriptionArn()).startsWith(topicArn() + ":");
    }
    assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(topicArn() + "-not")))
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFound"));

    assertThat(lambda.listFunctions().functions())
        .extracting(FunctionConfiguration::functionArn)
        .containsExactly(functionArn());
    FunctionConfiguration f =
        lambda.getFunction(b -> b.functionName(NAMES.function())).configuration();
    assertThat(f.handler()).isEqualTo("dev.surge.trigger.TriggerHandler::handleRequest");
    assertThat(f.loggingConfig().logGroup()).isEqualTo("/aws/lambda/" + NAMES.function());
    var byArn = lambda.getFunctionConfiguration(b -> b.functionName(functionArn()));
    assertThat(byArn.timeout()).isEqualTo(20);
    assertThat(byArn.memorySize()).isEqualTo(128);
    assertThat(byArn.stateAsString()).isEqualTo("Active");
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void theJavaSdkSeesTheTasksRunningAndStoppedWithTheirExitCodesAndLogs() {
    assertThat(ecs.listClusters().clusterArns())
        .containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/" + NAMES.cluster());
    assertThat(ecs.describeClusters(b -> b.clusters(NAMES.cluster())).clusters())
        .singleElement()
        .satisfies(c -> assertThat(c.runningTasksCount()).isZero());
    String definitionArn =
        "arn:aws:ecs:us-east-1:000000000000:task-definition/" + NAMES.taskFamily() + ":1";
    assertThat(
            ecs.listTaskDefinitions(b -> b.familyPrefix(NAMES.taskFamily())).taskDefinitionArns())
        .containsExactly(definitionArn);
    TaskDefinition definition =
        ecs.describeTaskDefinition(b -> b.taskDefinition(NAMES.taskFamily())).taskDefinition();
    assertThat(definition.family()).isEqualTo(NAMES.taskFamily());
    assertThat(definition.containerDefinitions().get(0).entryPoint())
        .contains("dev.surge.worker.WorkerMain");
    Map<String, String> logOptions =
        definition.containerDefinitions().get(0).logConfiguration().options();
    assertThat(logOptions).containsEntry("awslogs-group", "/ecs/" + NAMES.taskFamily());

    // While it ran.
    assertThat(whileRunning.lastStatus()).isIn("PROVISIONING", "PENDING", "RUNNING");
    assertThat(whileRunning.desiredStatus()).isEqualTo("RUNNING");
    assertThat(whileRunning.containers().get(0).exitCode()).isNull();
    assertThat(whileRunning.stoppedAt()).isNull();

    // After: every task the launcher started, stopped by itself with exit code 0.
    List<TaskView> launched = cloud.launcher().tasks();
    assertThat(ecs.listTasks(b -> b.cluster(NAMES.cluster())).taskArns()).isEmpty();
    List<String> stopped =
        ecs.listTasks(b -> b.cluster(NAMES.cluster()).desiredStatus(DesiredStatus.STOPPED))
            .taskArns();
    assertThat(stopped)
        .containsExactlyElementsOf(
            launched.stream()
                .map(
                    t ->
                        "arn:aws:ecs:us-east-1:000000000000:task/"
                            + NAMES.cluster()
                            + "/"
                            + t.taskId())
                .toList());
    assertThat(
            ecs.listTasks(
                    b ->
                        b.cluster(NAMES.cluster())
                            .family(NAMES.taskFamily())
                            .desiredStatus(DesiredStatus.STOPPED))
                .taskArns())
        .isEqualTo(stopped);
    assertThatThrownBy(
            () ->
                ecs.listTasks(
                    b ->
                        b.cluster(NAMES.cluster())
                            .startedBy("surge")
                            .desiredStatus(DesiredStatus.STOPPED)))
        .isInstanceOf(EcsException.class)
        .hasMessageContaining("startedBy must be the only filter");
    List<Task> tasks = ecs.describeTasks(b -> b.cluster(NAMES.cluster()).tasks(stopped)).tasks();
    assertThat(tasks).hasSize(launched.size());
    for (Task t : tasks) {
      assertThat(t.lastStatus()).isEqualTo("STOPPED");
      assertThat(t.desiredStatus()).isEqualTo("STOPPED");
      assertThat(t.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
      assertThat(t.stoppedReason()).isEqualTo("Essential container in task exited");
      assertThat(t.containers().get(0).exitCode()).isZero();
      assertThat(t.taskDefinitionArn()).isEqualTo(definitionArn);
      assertThat(t.startedBy()).isEqualTo("surge");
      assertThat(t.createdAt()).isBeforeOrEqualTo(t.startedAt());
      assertThat(t.startedAt()).isBeforeOrEqualTo(t.stoppedAt());
    }
    assertThat(ecs.describeTasks(b -> b.cluster(NAMES.cluster()).tasks("task-9999")).failures())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));

    // Their logs: one stream per task, its lines in order with the worker's summary.
    assertThat(logsClient.describeLogGroups().logGroups())
        .extracting(g -> g.logGroupName())
        .containsExactly("/ecs/" + NAMES.taskFamily(), "/aws/lambda/" + NAMES.function());
    List<LogStream> streams =
        logsClient
            .describeLogStreams(b -> b.logGroupName("/ecs/" + NAMES.taskFamily()))
            .logStreams();
    assertThat(streams)
        .extracting(LogStream::logStreamName)
        .containsExactlyElementsOf(
            launched.stream().map(t -> "worker/" + NAMES.container() + "/" + t.taskId()).toList());
    Task first = tasks.get(0);
    List<OutputLogEvent> events =
        logsClient
            .getLogEvents(
                b ->
                    b.logGroupName("/ecs/" + NAMES.taskFamily())
                        .logStreamName(streams.get(0).logStreamName())
                        .startFromHead(true))
            .events();
    assertThat(events)
        .extracting(OutputLogEvent::message)
        .anyMatch(m -> m.contains("SURGE_WORKER_READY"));
    assertThat(events)
        .extracting(OutputLogEvent::message)
        .anyMatch(m -> m.contains("SURGE_WORKER_SUMMARY"));
    List<Long> stamps = events.stream().map(OutputLogEvent::timestamp).toList();
    assertThat(stamps).isSorted();
    assertThat(stamps.get(0)).isGreaterThanOrEqualTo(first.createdAt().toEpochMilli());
    assertThat(stamps.get(stamps.size() - 1)).isLessThanOrEqualTo(first.stoppedAt().toEpochMilli());
    List<FilteredLogEvent> summaries =
        logsClient
            .filterLogEvents(
                b ->
                    b.logGroupName("/ecs/" + NAMES.taskFamily())
                        .filterPattern("SURGE_WORKER_SUMMARY"))
            .events();
    assertThat(summaries).hasSize(launched.size());

    // The function's log: its invocations and the decision that launched the tasks.
    String functionStream =
        logsClient
            .describeLogStreams(b -> b.logGroupName("/aws/lambda/" + NAMES.function()))
            .logStreams()
            .get(0)
            .logStreamName();
    assertThat(
            logsClient
                .getLogEvents(
                    b ->
                        b.logGroupName("/aws/lambda/" + NAMES.function())
                            .logStreamName(functionStream)
                            .startFromHead(true))
                .events())
        .extracting(OutputLogEvent::message)
        .anyMatch(m -> m.startsWith("START RequestId: "))
        .anyMatch(m -> m.startsWith("REPORT RequestId: "))
        .anyMatch(
            m -> m.contains("SURGE_TRIGGER_DECISION") && m.contains("\"action\":\"launched\""));
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void anOperationNotServedGetsOneClearErrorInItsServicesFormat() {
    assertThatThrownBy(() -> cloudWatch.disableAlarmActions(b -> b.alarmNames(NAMES.alarm())))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("'DisableAlarmActions' is not served")
                  .contains("DescribeAlarms, DescribeAlarmHistory")
                  .contains("SetAlarmState, PutMetricAlarm, DeleteAlarms")
                  .doesNotContain("read-only");
            });
    assertThatThrownBy(() -> sns.deleteTopic(b -> b.topicArn(topicArn())))
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("ListTopics")
                  .contains("Publish");
            });
    assertThat(sns.listTopics().topics())
        .first()
        .extracting(t -> t.topicArn())
        .isEqualTo(topicArn());
    assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName(NAMES.function())))
        .isInstanceOfSatisfying(
            LambdaException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("'DeleteFunction' is not served")
                    .contains("Invoke"));
    assertThatThrownBy(
            () -> ecs.deregisterTaskDefinition(b -> b.taskDefinition(NAMES.taskFamily() + ":1")))
        .isInstanceOfSatisfying(
            EcsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("'DeregisterTaskDefinition' is not served")
                  .contains("RegisterTaskDefinition, RunTask, StopTask")
                  .doesNotContain("read-only");
            });
    assertThatThrownBy(() -> logsClient.createLogGroup(b -> b.logGroupName("x")))
        .isInstanceOf(CloudWatchLogsException.class)
        .hasMessageContaining("'CreateLogGroup' is not served")
        .hasMessageContaining("(read-only for now)");
    assertThat(cloud.launcher().tasks()).allMatch(t -> t.state() == TaskState.STOPPED);
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void aWebPageCannotReadTheChainThroughIt() throws Exception {
    String answer =
        raw(
            "GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1:"
                + endpoint.getPort()
                + "\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain(NAMES.function());
    String rebound =
        raw(
            "GET /2015-03-31/functions HTTP/1.1\r\nHost: rebind.attacker.example:"
                + endpoint.getPort()
                + "\r\nConnection: close\r\n\r\n");
    assertThat(rebound).startsWith("HTTP/1.1 403").doesNotContain(NAMES.function());
    // The same request without the page's headers is served.
    String ok =
        raw(
            "GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1:"
                + endpoint.getPort()
                + "\r\nConnection: close\r\n\r\n");
    assertThat(ok).startsWith("HTTP/1.1 200").contains(NAMES.function());
  }

  @Test
  void aTakenPortIsOneLineNamingTheOptionThatMovesIt() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      LocalCloudOptions options =
          LocalCloudOptions.seed(0, 0, logs).withAwsPort(taken.getLocalPort());
      assertThatThrownBy(() -> LocalCloud.start(options, new EventLog(10), Clock.systemUTC()))
          .isInstanceOf(dev.surge.core.ConfigException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " is already in use")
          .hasMessageContaining("--aws-port")
          .hasMessageNotContaining("\n");
    }
  }

  // --- writes, from the Java SDK ---------------------------------------------------------------

  /** The function's decisions on a notification whose note contains {@code phrase}. */
  private static long decisions(String phrase) {
    return logsClient
        .filterLogEventsPaginator(
            b ->
                b.logGroupName("/aws/lambda/" + NAMES.function())
                    .filterPattern("\"SURGE_TRIGGER_DECISION\" \"" + phrase + "\""))
        .events()
        .stream()
        .count();
  }

  private static String reasonOf(AlarmHistoryItem item) {
    try {
      return JSON.readTree(item.historyData()).at("/newState/stateReason").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The chain's alarm's state changes, newest first, as DescribeAlarmHistory gives them. */
  private static List<AlarmHistoryItem> stateUpdates(String alarm) {
    return cloudWatch
        .describeAlarmHistory(
            b -> b.alarmName(alarm).historyItemType(HistoryItemType.STATE_UPDATE).maxRecords(100))
        .alarmHistoryItems();
  }

  /** Waits for the chain's alarm to rest in OK, as it does on the drained queue. */
  private static void awaitAlarmOk() {
    await().atMost(Duration.ofSeconds(30)).until(() -> cloud.alarm().state() == AlarmState.OK);
  }

  private static String errorCode(Throwable e) {
    return ((software.amazon.awssdk.awscore.exception.AwsServiceException) e)
        .awsErrorDetails()
        .errorCode();
  }

  @Test
  @ResourceLock(CHAIN)
  void theJavaSdkSetsTheAlarmsStateAndItsTopicAndFunctionActOnIt() {
    awaitAlarmOk();
    long onAlarm = decisions("OK -> ALARM");

    cloudWatch.setAlarmState(
        b ->
            b.alarmName(NAMES.alarm())
                .stateValue(StateValue.ALARM)
                .stateReason("set by the Java SDK")
                .stateReasonData("{\"by\":\"sdk\"}"));

    // Its history has the change, with the reason given.
    AlarmHistoryItem set =
        stateUpdates(NAMES.alarm()).stream()
            .filter(i -> reasonOf(i).equals("set by the Java SDK"))
            .findFirst()
            .orElseThrow();
    assertThat(set.historySummary()).isEqualTo("Alarm updated from OK to ALARM");
    assertThat(set.historyData()).contains("\"stateReasonData\":{\"by\":\"sdk\"}");
    // Its action ran: the topic delivered the notification to the function, which decided on it
    // (nothing to start: the queue is empty).
    await().atMost(Duration.ofSeconds(20)).until(() -> decisions("OK -> ALARM") == onAlarm + 1);
    // Its own evaluation moves it back at a next period: the queue is empty.
    awaitAlarmOk();
    assertThat(stateUpdates(NAMES.alarm()).get(0).historySummary())
        .isEqualTo("Alarm updated from ALARM to OK");
    assertThat(cloud.launcher().tasks()).allMatch(t -> t.state() == TaskState.STOPPED);

    // The errors CloudWatch gives, and nothing changes.
    int changes = cloud.alarm().history().size();
    assertThatThrownBy(
            () ->
                cloudWatch.setAlarmState(
                    b -> b.alarmName("nope").stateValue(StateValue.ALARM).stateReason("x")))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
              assertThat(e.statusCode()).isEqualTo(404);
            });
    assertThatThrownBy(
            () ->
                cloudWatch.setAlarmState(
                    b -> b.alarmName(NAMES.alarm()).stateValue("PANIC").stateReason("x")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationError"))
        .hasMessageContaining("enum value set: [INSUFFICIENT_DATA, ALARM, OK]");
    assertThatThrownBy(
            () ->
                cloudWatch.setAlarmState(
                    b ->
                        b.alarmName(NAMES.alarm())
                            .stateValue(StateValue.ALARM)
                            .stateReason("x")
                            .stateReasonData("{not json")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidFormat"));
    assertThat(cloud.alarm().history()).hasSize(changes);
    assertThat(cloud.alarm().state()).isEqualTo(AlarmState.OK);
  }

  @Test
  @ResourceLock(CHAIN)
  void theJavaSdkMakesAnAlarmOnAnotherQueueWhoseTopicInvokesTheFunctionThenDeletesIt()
      throws Exception {
    String queue = "aws-endpoint-it-other";
    String queueUrl = cloud.sqs().createQueue(b -> b.queueName(queue)).queueUrl();
    String name = "aws-endpoint-it-other-backlog";
    try {
      String topic = sns.createTopic(b -> b.name("aws-endpoint-it-other")).topicArn();
      assertThat(topic).isEqualTo("arn:aws:sns:us-east-1:000000000000:aws-endpoint-it-other");
      String subscription =
          sns.subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(functionArn()))
              .subscriptionArn();
      assertThat(subscription).startsWith(topic + ":");

      cloudWatch.putMetricAlarm(
          b ->
              b.alarmName(name)
                  .alarmDescription("one message waits in " + queue)
                  .namespace("AWS/SQS")
                  .metricName("ApproximateNumberOfMessagesVisible")
                  .dimensions(queueDimension(queue))
                  .statistic(Statistic.MAXIMUM)
                  .period(1)
                  .evaluationPeriods(1)
                  .threshold(0.0)
                  .comparisonOperator("GreaterThanThreshold")
                  .treatMissingData("notBreaching")
                  .alarmActions(topic));
      MetricAlarm made = cloudWatch.describeAlarms(b -> b.alarmNames(name)).metricAlarms().get(0);
      assertThat(made.alarmDescription()).isEqualTo("one message waits in " + queue);
      assertThat(made.alarmActions()).containsExactly(topic);
      assertThat(made.statistic()).isEqualTo(Statistic.MAXIMUM);
      assertThat(cloudWatch.describeAlarms().metricAlarms())
          .extracting(MetricAlarm::alarmName)
          .containsExactly(name, NAMES.alarm()); // by name, as CloudWatch lists them

      // A message in that queue: the alarm fires, its topic delivers to the function, which
      // ignores another alarm's notification.
      long ignored = decisions("ignored: alarm '" + name + "'");
      cloud.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("waiting"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> decisions("ignored: alarm '" + name + "'") == ignored + 1);
      assertThat(
              cloudWatch.describeAlarms(b -> b.alarmNames(name)).metricAlarms().get(0).stateValue())
          .isEqualTo(StateValue.ALARM);
      assertThat(
              cloudWatch
                  .getMetricStatistics(
                      b ->
                          b.namespace("AWS/SQS")
                              .metricName("ApproximateNumberOfMessagesVisible")
                              .dimensions(queueDimension(queue))
                              .startTime(started)
                              .endTime(Instant.now().plusSeconds(60))
                              .period(60)
                              .statistics(Statistic.MAXIMUM))
                  .datapoints())
          .extracting(Datapoint::maximum)
          .contains(1.0);
      // To ALARM from its first state, or from OK if a period of the empty queue came first.
      assertThat(stateUpdates(name).get(0).historySummary()).endsWith(" to ALARM");

      // Deleted (a name of no alarm is left alone): no longer listed, its history kept.
      cloudWatch.deleteAlarms(b -> b.alarmNames(name, "no-such-alarm"));
      assertThat(cloudWatch.describeAlarms(b -> b.alarmNames(name)).metricAlarms()).isEmpty();
      assertThat(
              cloudWatch
                  .describeAlarmHistory(
                      b -> b.alarmName(name).historyItemType(HistoryItemType.CONFIGURATION_UPDATE))
                  .alarmHistoryItems())
          .extracting(AlarmHistoryItem::historySummary)
          .containsExactly("Alarm \"" + name + "\" deleted", "Alarm \"" + name + "\" created");
    } finally {
      cloudWatch.deleteAlarms(b -> b.alarmNames(name));
      cloud.sqs().deleteQueue(b -> b.queueUrl(queueUrl));
    }
  }

  @Test
  @ResourceLock(CHAIN)
  void theJavaSdkUpdatesTheChainsAlarmButNeitherDeletesItNorMovesItToAnotherMetric() {
    MetricAlarm before =
        cloudWatch.describeAlarms(b -> b.alarmNames(NAMES.alarm())).metricAlarms().get(0);
    try {
      cloudWatch.putMetricAlarm(
          b ->
              b.alarmName(NAMES.alarm())
                  .namespace("AWS/SQS")
                  .metricName("ApproximateNumberOfMessagesVisible")
                  .dimensions(queueDimension(NAMES.queue()))
                  .statistic(Statistic.SUM)
                  .period(1)
                  .evaluationPeriods(3)
                  .datapointsToAlarm(2)
                  .threshold(5000.0)
                  .comparisonOperator("GreaterThanThreshold")
                  .treatMissingData("notBreaching")
                  .alarmActions(topicArn()));
      MetricAlarm updated =
          cloudWatch.describeAlarms(b -> b.alarmNames(NAMES.alarm())).metricAlarms().get(0);
      assertThat(updated.threshold()).isEqualTo(5000.0);
      assertThat(updated.evaluationPeriods()).isEqualTo(3);
      assertThat(updated.datapointsToAlarm()).isEqualTo(2);
      assertThat(updated.alarmDescription()).isNull(); // the update replaces the whole definition
      assertThat(updated.stateValue()).isEqualTo(before.stateValue()); // and keeps the state
      assertThat(updated.alarmConfigurationUpdatedTimestamp())
          .isAfter(before.alarmConfigurationUpdatedTimestamp());
      assertThat(cloud.alarm().spec().threshold()).isEqualTo(5000.0);

      // Another queue, another metric, an action that is no local topic: refused, unchanged.
      for (var refused :
          List
              .<java.util.function.Consumer<
                      software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest
                          .Builder>>
                  of(
                      b -> b.dimensions(queueDimension("another")),
                      b -> b.namespace("AWS/EC2").metricName("CPUUtilization"),
                      b -> b.alarmActions("arn:aws:sns:us-east-1:000000000000:no-such-topic"))) {
        assertThatThrownBy(
                () ->
                    cloudWatch.putMetricAlarm(
                        b -> {
                          b.alarmName(NAMES.alarm())
                              .namespace("AWS/SQS")
                              .metricName("ApproximateNumberOfMessagesVisible")
                              .dimensions(queueDimension(NAMES.queue()))
                              .statistic(Statistic.SUM)
                              .period(1)
                              .evaluationPeriods(1)
                              .threshold(1.0)
                              .comparisonOperator("GreaterThanThreshold");
                          refused.accept(b);
                        }))
            .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"))
            .hasMessageContaining("local cloud");
      }
      assertThat(cloud.alarm().spec().threshold()).isEqualTo(5000.0);
      assertThatThrownBy(() -> cloudWatch.deleteAlarms(b -> b.alarmNames(NAMES.alarm())))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationError"))
          .hasMessageContaining("Cannot delete " + NAMES.alarm());
      assertThat(cloudWatch.describeAlarms(b -> b.alarmNames(NAMES.alarm())).metricAlarms())
          .hasSize(1);
    } finally {
      // As the chain had it.
      cloudWatch.putMetricAlarm(
          b ->
              b.alarmName(NAMES.alarm())
                  .alarmDescription(before.alarmDescription())
                  .namespace("AWS/SQS")
                  .metricName("ApproximateNumberOfMessagesVisible")
                  .dimensions(queueDimension(NAMES.queue()))
                  .statistic(Statistic.SUM)
                  .period(1)
                  .evaluationPeriods(1)
                  .threshold(100.0)
                  .comparisonOperator("GreaterThanThreshold")
                  .treatMissingData("notBreaching")
                  .alarmActions(topicArn()));
    }
    assertThat(cloud.alarm().spec()).isEqualTo(LocalCloud.spec(cloud.options()));
  }

  @Test
  @ResourceLock(CHAIN)
  void theJavaSdkPublishesToTheTopicAndInvokesTheFunction() throws Exception {
    // Publish: the function gets the message as SNS's event and decides on it (it is no alarm).
    String messageId =
        sns.publish(b -> b.topicArn(topicArn()).subject("by hand").message("not an alarm"))
            .messageId();
    await().atMost(Duration.ofSeconds(20)).until(() -> decisions(messageId) == 1);
    assertThat(decisions("malformed")).isPositive();
    assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn() + "-not").message("x")))
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFound");
              assertThat(e.statusCode()).isEqualTo(404);
            });
    // Subscribing the function again gives its one subscription; another protocol is refused.
    assertThat(
            sns.subscribe(b -> b.topicArn(topicArn()).protocol("lambda").endpoint(functionArn()))
                .subscriptionArn())
        .isEqualTo(
            sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn()))
                .subscriptions()
                .get(0)
                .subscriptionArn());
    assertThatThrownBy(
            () ->
                sns.subscribe(
                    b ->
                        b.topicArn(topicArn())
                            .protocol("sqs")
                            .endpoint("arn:aws:sqs:us-east-1:000000000000:" + NAMES.queue())))
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter");
              assertThat(e.awsErrorDetails().errorMessage()).contains("protocol lambda");
            });

    // Invoke, RequestResponse: the handler's result, its log's tail, the invocation's request id.
    long requested = cloud.function().requestedInvocations();
    var answer =
        lambda.invoke(
            b ->
                b.functionName(NAMES.function())
                    .payload(
                        software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"Records\":[]}"))
                    .logType(software.amazon.awssdk.services.lambda.model.LogType.TAIL));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.functionError()).isNull();
    assertThat(answer.executedVersion()).isEqualTo("$LATEST");
    assertThat(JSON.readTree(answer.payload().asUtf8String()).asText())
        .containsAnyOf("idle: alarm", "reconcile: alarm");
    String tail =
        new String(
            java.util.Base64.getDecoder().decode(answer.logResult()), StandardCharsets.UTF_8);
    String requestId = answer.responseMetadata().requestId();
    assertThat(tail)
        .contains("START RequestId: " + requestId)
        .contains("SURGE_TRIGGER_DECISION")
        .contains("REPORT RequestId: " + requestId);
    // A payload that is not the handler's event: the function fails, as Lambda reports it.
    var failed =
        lambda.invoke(
            b ->
                b.functionName(functionArn())
                    .payload(
                        software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                            "{\"Records\":\"none\"}")));
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    assertThat(JSON.readTree(failed.payload().asUtf8String()).has("errorType")).isTrue();
    // Event: accepted at once, run afterwards; DryRun: nothing runs.
    var later =
        lambda.invoke(
            b ->
                b.functionName(NAMES.function())
                    .invocationType(
                        software.amazon.awssdk.services.lambda.model.InvocationType.EVENT)
                    .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{}")));
    assertThat(later.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cloud.function().requestedInvocations() == requested + 3);
    var dry =
        lambda.invoke(
            b ->
                b.functionName(NAMES.function())
                    .invocationType(
                        software.amazon.awssdk.services.lambda.model.InvocationType.DRY_RUN));
    assertThat(dry.statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nope")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                lambda.invoke(
                    b ->
                        b.functionName(NAMES.function())
                            .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{"))))
        .isInstanceOf(
            software.amazon.awssdk.services.lambda.model.InvalidRequestContentException.class);
    assertThat(cloud.function().requestedInvocations()).isEqualTo(requested + 3);
    assertThat(cloud.launcher().tasks()).allMatch(t -> t.state() == TaskState.STOPPED);
  }

  @Test
  @ResourceLock(CHAIN)
  void aWebPageCannotWriteToTheChainThroughItButAProgramCan() throws Exception {
    awaitAlarmOk();
    int port = endpoint.getPort();
    String setState =
        "Action=SetAlarmState&Version=2010-08-01&AlarmName="
            + NAMES.alarm()
            + "&StateValue=ALARM&StateReason=forged";
    String publish =
        "Action=Publish&Version=2010-03-31&TopicArn="
            + java.net.URLEncoder.encode(topicArn(), StandardCharsets.UTF_8)
            + "&Message=forged";
    String invoke = "/2015-03-31/functions/" + NAMES.function() + "/invocations";
    int changes = cloud.alarm().history().size();
    long published = cloud.topic().published();
    long invoked = cloud.function().requestedInvocations();
    for (String page :
        List.of(
            "Origin: http://evil.example\r\n",
            "Origin: null\r\n",
            "Sec-Fetch-Site: cross-site\r\n",
            "Sec-Fetch-Site: same-site\r\n")) {
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      assertThat(post("/", host + page + FORM, setState)).as(page).startsWith("HTTP/1.1 403");
      assertThat(post("/", host + page + FORM, publish)).as(page).startsWith("HTTP/1.1 403");
      assertThat(post(invoke, host + page + "Content-Type: text/plain\r\n", "{}"))
          .as(page)
          .startsWith("HTTP/1.1 403");
    }
    String rebound = "Host: rebind.attacker.example:" + port + "\r\n";
    assertThat(post("/", rebound + FORM, setState)).startsWith("HTTP/1.1 403");
    assertThat(post(invoke, rebound, "{}")).startsWith("HTTP/1.1 403");
    // ECS's writes: a task definition registered, a task run, a task stopped.
    String family = "aws-endpoint-it-forged";
    String register =
        "{\"family\":\""
            + family
            + "\",\"containerDefinitions\":[{\"name\":\"c\",\"image\":\"i\","
            + "\"entryPoint\":[\"true\"]}]}";
    String runTask =
        "{\"cluster\":\"" + NAMES.cluster() + "\",\"taskDefinition\":\"" + family + "\"}";
    String stopTask =
        "{\"cluster\":\"" + NAMES.cluster() + "\",\"task\":\"task-0001\",\"reason\":\"forged\"}";
    int tasks = cloud.launcher().tasks().size();
    int definitions = cloud.launcher().definitions().all().size();
    for (String page :
        List.of(
            host(port) + "Origin: http://evil.example\r\n",
            host(port) + "Sec-Fetch-Site: cross-site\r\n",
            rebound)) {
      assertThat(post("/", page + ecs("RegisterTaskDefinition"), register))
          .as(page)
          .startsWith("HTTP/1.1 403");
      assertThat(post("/", page + ecs("RunTask"), runTask)).as(page).startsWith("HTTP/1.1 403");
      assertThat(post("/", page + ecs("StopTask"), stopTask)).as(page).startsWith("HTTP/1.1 403");
    }
    assertThat(cloud.launcher().definitions().all()).hasSize(definitions);
    assertThat(cloud.launcher().tasks()).hasSize(tasks);
    assertThat(cloud.launcher().tasks().get(0).stopReason())
        .hasValueSatisfying(r -> assertThat(r).isNotEqualTo("forged"));
    // Nothing changed: no state change, no message published, no invocation.
    assertThat(cloud.alarm().history()).hasSize(changes);
    assertThat(cloud.alarm().state()).isEqualTo(AlarmState.OK);
    assertThat(cloud.topic().published()).isEqualTo(published);
    assertThat(cloud.function().requestedInvocations()).isEqualTo(invoked);

    // The same requests from a program that is not a browser are served.
    String host = "Host: 127.0.0.1:" + port + "\r\n";
    assertThat(post("/", host + FORM, setState)).startsWith("HTTP/1.1 200");
    assertThat(cloud.alarm().history())
        .extracting(dev.surge.core.alarm.AlarmTransition::reason)
        .contains("forged");
    assertThat(post("/", host + FORM, publish)).startsWith("HTTP/1.1 200").contains("<MessageId>");
    assertThat(cloud.topic().published()).isEqualTo(published + 2); // the alarm's, and this one
    assertThat(post(invoke, host, "{}")).startsWith("HTTP/1.1 200");
    assertThat(cloud.function().requestedInvocations()).isEqualTo(invoked + 1);
    // ECS answers them: the definition is registered; running a family that is not registered
    // and stopping a task of another cluster are ECS's errors, which start and stop nothing.
    assertThat(post("/", host + ecs("RegisterTaskDefinition"), register))
        .startsWith("HTTP/1.1 200")
        .contains("task-definition/" + family + ":1");
    assertThat(cloud.launcher().definitions().latest(family)).isPresent();
    assertThat(post("/", host + ecs("RunTask"), runTask.replace(family, family + "-not")))
        .startsWith("HTTP/1.1 400")
        .contains("TaskDefinition not found.");
    assertThat(post("/", host + ecs("StopTask"), stopTask.replace("task-0001", "task-9999")))
        .startsWith("HTTP/1.1 400")
        .contains("The referenced task was not found.");
    assertThat(cloud.launcher().tasks()).hasSize(tasks);
    awaitAlarmOk();
  }

  private static String host(int port) {
    return "Host: 127.0.0.1:" + port + "\r\n";
  }

  /** The headers of an ECS call, as the SDKs send it. */
  private static String ecs(String operation) {
    return "Content-Type: application/x-amz-json-1.1\r\n"
        + "X-Amz-Target: AmazonEC2ContainerServiceV20141113."
        + operation
        + "\r\n";
  }

  private static final String FORM = "Content-Type: application/x-www-form-urlencoded\r\n";

  /** One raw POST with {@code headers} (each ending in CRLF) and {@code body}. */
  private static String post(String target, String headers, String body) throws Exception {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return raw(
        "POST "
            + target
            + " HTTP/1.1\r\n"
            + headers
            + "Content-Length: "
            + b.length
            + "\r\nConnection: close\r\n\r\n"
            + body);
  }

  private static String raw(String request) throws Exception {
    try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  // --- the aws CLI and boto3 ---------------------------------------------------------------------

  private record ToolRun(int exit, String out, String err) {}

  /** The environment a user has after pasting what 'surge up' prints: AWS_ENDPOINT_URL only. */
  private static Map<String, String> userEnvironment(ProcessBuilder pb) {
    return AwsTools.userEnvironment(pb.environment(), endpoint);
  }

  private static ToolRun tool(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    userEnvironment(pb);
    Path out = Files.createTempFile(logs, "tool", ".out");
    Path err = Files.createTempFile(logs, "tool", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new ToolRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static JsonNode aws(String... args) throws Exception {
    return tools.aws(args);
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void theAwsCliWatchesTheChainWithTheEndpointAlone() throws Exception {
    JsonNode alarm = aws("cloudwatch", "describe-alarms", "--alarm-names", NAMES.alarm());
    assertThat(alarm.at("/MetricAlarms/0/AlarmActions/0").asText()).isEqualTo(topicArn());
    assertThat(alarm.at("/MetricAlarms/0/StateValue").asText())
        .isEqualTo(cloud.alarm().state().name());
    JsonNode history =
        aws(
            "cloudwatch",
            "describe-alarm-history",
            "--alarm-name",
            NAMES.alarm(),
            "--history-item-type",
            "StateUpdate");
    List<String> summaries = new ArrayList<>();
    history.get("AlarmHistoryItems").forEach(i -> summaries.add(i.get("HistorySummary").asText()));
    assertThat(summaries).anyMatch(s -> s.endsWith("to ALARM"));
    JsonNode subs = aws("sns", "list-subscriptions-by-topic", "--topic-arn", topicArn());
    assertThat(subs.at("/Subscriptions/0/Protocol").asText()).isEqualTo("lambda");
    assertThat(subs.at("/Subscriptions/0/Endpoint").asText()).isEqualTo(functionArn());
    assertThat(
            aws("lambda", "get-function", "--function-name", NAMES.function())
                .at("/Configuration/FunctionArn")
                .asText())
        .isEqualTo(functionArn());

    JsonNode stopped =
        aws("ecs", "list-tasks", "--cluster", NAMES.cluster(), "--desired-status", "STOPPED");
    List<String> arns = new ArrayList<>();
    stopped.get("taskArns").forEach(a -> arns.add(a.asText()));
    assertThat(arns).hasSize(cloud.launcher().tasks().size());
    List<String> describe =
        new ArrayList<>(List.of("ecs", "describe-tasks", "--cluster", NAMES.cluster(), "--tasks"));
    describe.addAll(arns);
    JsonNode tasks = aws(describe.toArray(String[]::new));
    assertThat(tasks.get("tasks")).hasSize(arns.size());
    for (JsonNode t : tasks.get("tasks")) {
      assertThat(t.get("lastStatus").asText()).isEqualTo("STOPPED");
      assertThat(t.at("/containers/0/exitCode").asInt(-1)).isZero();
      assertThat(t.get("stopCode").asText()).isEqualTo("EssentialContainerExited");
    }
    String firstId = arns.get(0).substring(arns.get(0).lastIndexOf('/') + 1);
    JsonNode events =
        aws(
            "logs",
            "get-log-events",
            "--log-group-name",
            "/ecs/" + NAMES.taskFamily(),
            "--log-stream-name",
            "worker/" + NAMES.container() + "/" + firstId,
            "--start-from-head");
    List<String> lines = new ArrayList<>();
    events.get("events").forEach(e -> lines.add(e.get("message").asText()));
    assertThat(lines).anyMatch(l -> l.contains("SURGE_WORKER_SUMMARY"));
    assertThat(lines)
        .isEqualTo(Files.readAllLines(cloud.launcher().logFile(firstId)).subList(0, lines.size()));

    // The table's count through the same endpoint.
    assertThat(
            aws("dynamodb", "scan", "--table-name", NAMES.table(), "--select", "COUNT")
                .get("Count")
                .asInt())
        .isEqualTo(MESSAGES);

    // One clear error for what is not served, as the CLI prints it.
    AwsTools.Run refused =
        tools.cli("cloudwatch", "disable-alarm-actions", "--alarm-names", NAMES.alarm());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("UnknownOperationException")
        .contains("'DisableAlarmActions' is not served by the local cloud's CloudWatch");
  }

  /** Runs the aws CLI with {@code args}, which must fail; its standard error. */
  private static String awsFails(String... args) throws Exception {
    return tools.awsFails(args);
  }

  @Test
  @ResourceLock(CHAIN)
  void theAwsCliWritesToTheChainWithTheEndpointAlone() throws Exception {
    awaitAlarmOk();
    aws(
        "cloudwatch",
        "set-alarm-state",
        "--alarm-name",
        NAMES.alarm(),
        "--state-value",
        "ALARM",
        "--state-reason",
        "set by the aws CLI");
    JsonNode history =
        aws(
            "cloudwatch",
            "describe-alarm-history",
            "--alarm-name",
            NAMES.alarm(),
            "--history-item-type",
            "StateUpdate");
    List<String> reasons = new ArrayList<>();
    for (JsonNode item : history.get("AlarmHistoryItems")) {
      reasons.add(
          JSON.readTree(item.get("HistoryData").asText()).at("/newState/stateReason").asText());
    }
    assertThat(reasons).contains("set by the aws CLI");
    assertThat(
            awsFails(
                "cloudwatch",
                "set-alarm-state",
                "--alarm-name",
                NAMES.alarm(),
                "--state-value",
                "PANIC",
                "--state-reason",
                "x"))
        .contains("ValidationError");
    awaitAlarmOk();

    String topic =
        aws("sns", "create-topic", "--name", "aws-endpoint-it-cli").get("TopicArn").asText();
    assertThat(topic).isEqualTo("arn:aws:sns:us-east-1:000000000000:aws-endpoint-it-cli");
    String subscription =
        aws(
                "sns",
                "subscribe",
                "--topic-arn",
                topic,
                "--protocol",
                "lambda",
                "--notification-endpoint",
                functionArn())
            .get("SubscriptionArn")
            .asText();
    JsonNode subs = aws("sns", "list-subscriptions-by-topic", "--topic-arn", topic);
    assertThat(subs.at("/Subscriptions/0/SubscriptionArn").asText()).isEqualTo(subscription);
    assertThat(subs.at("/Subscriptions/0/Endpoint").asText()).isEqualTo(functionArn());
    assertThat(
            awsFails(
                "sns",
                "subscribe",
                "--topic-arn",
                topic,
                "--protocol",
                "sqs",
                "--notification-endpoint",
                "arn:aws:sqs:us-east-1:000000000000:" + NAMES.queue()))
        .contains("InvalidParameter");
    String messageId =
        aws("sns", "publish", "--topic-arn", topic, "--message", "from the aws CLI")
            .get("MessageId")
            .asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> decisions(messageId) == 1);

    Path out = Files.createTempFile(logs, "invoke", ".json");
    JsonNode invoked =
        aws(
            "lambda",
            "invoke",
            "--function-name",
            NAMES.function(),
            "--payload",
            "{\"Records\":[]}",
            "--log-type",
            "Tail",
            out.toString());
    assertThat(invoked.get("StatusCode").asInt()).isEqualTo(200);
    assertThat(invoked.has("FunctionError")).isFalse();
    assertThat(invoked.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(invoked.get("LogResult").asText()),
                StandardCharsets.UTF_8))
        .contains("START RequestId: ")
        .contains("SURGE_TRIGGER_DECISION");
    assertThat(JSON.readTree(Files.readString(out)).asText())
        .containsAnyOf("idle: alarm", "reconcile: alarm");
    assertThat(awsFails("lambda", "invoke", "--function-name", "nope", out.toString()))
        .contains("ResourceNotFoundException");

    String alarm = "aws-endpoint-it-cli-backlog";
    aws(
        "cloudwatch",
        "put-metric-alarm",
        "--alarm-name",
        alarm,
        "--namespace",
        "AWS/SQS",
        "--metric-name",
        "ApproximateNumberOfMessagesVisible",
        "--dimensions",
        "Name=QueueName,Value=aws-endpoint-it-cli",
        "--statistic",
        "Sum",
        "--period",
        "5",
        "--evaluation-periods",
        "1",
        "--threshold",
        "10",
        "--comparison-operator",
        "GreaterThanThreshold",
        "--alarm-actions",
        topic);
    JsonNode made = aws("cloudwatch", "describe-alarms", "--alarm-names", alarm);
    assertThat(made.at("/MetricAlarms/0/Threshold").asDouble()).isEqualTo(10.0);
    assertThat(made.at("/MetricAlarms/0/Period").asInt()).isEqualTo(5);
    assertThat(made.at("/MetricAlarms/0/AlarmActions/0").asText()).isEqualTo(topic);
    aws("cloudwatch", "delete-alarms", "--alarm-names", alarm);
    assertThat(cloud.alarms().find(alarm)).isEmpty();
    assertThat(awsFails("cloudwatch", "delete-alarms", "--alarm-names", NAMES.alarm()))
        .contains("ValidationError")
        .contains("Cannot delete " + NAMES.alarm());
  }

  @Test
  @ResourceLock(value = CHAIN, mode = ResourceAccessMode.READ)
  void boto3WatchesTheChainWithTheEndpointAlone() throws Exception {
    ToolRun run =
        tool(
            List.of(
                PinnedPython.interpreter().toString(),
                Path.of("src", "test", "resources", "endpoint", "watch_chain.py").toString(),
                NAMES.cluster(),
                NAMES.alarm(),
                NAMES.function(),
                NAMES.topic(),
                NAMES.table(),
                NAMES.queue()));
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode seen = JSON.readTree(run.out());
    assertThat(seen.get("account").asText()).isEqualTo("000000000000");
    assertThat(seen.at("/alarm/threshold").asDouble()).isEqualTo(100.0);
    assertThat(seen.at("/alarm/actions/0").asText()).isEqualTo(topicArn());
    List<String> states = new ArrayList<>();
    seen.get("states").forEach(s -> states.add(s.asText()));
    assertThat(states).contains("ALARM");
    assertThat(seen.get("max_visible").asDouble()).isGreaterThan(100);
    assertThat(seen.at("/subscriptions/0/0").asText()).isEqualTo("lambda");
    assertThat(seen.at("/subscriptions/0/1").asText()).isEqualTo(functionArn());
    assertThat(seen.get("function").asText()).isEqualTo(functionArn());
    List<TaskView> launched = cloud.launcher().tasks();
    assertThat(seen.get("tasks")).hasSize(launched.size());
    for (TaskView t : launched) {
      JsonNode task = seen.at("/tasks/" + t.taskId());
      assertThat(task.get("lastStatus").asText()).isEqualTo("STOPPED");
      assertThat(task.get("exitCode").asInt(-1)).isEqualTo(t.exitCode().orElseThrow());
      assertThat(task.get("stopCode").asText()).isEqualTo("EssentialContainerExited");
    }
    List<String> log = new ArrayList<>();
    seen.get("log").forEach(l -> log.add(l.asText()));
    assertThat(log).anyMatch(l -> l.contains("SURGE_WORKER_SUMMARY"));
    assertThat(seen.get("items").asInt()).isEqualTo(MESSAGES);
    assertThat(seen.get("visible").asInt()).isZero();
    assertThat(seen.at("/create_service/0").asText()).isEqualTo("UnknownOperationException");
    assertThat(seen.at("/create_service/1").asText()).contains("'CreateService' is not served");
    assertThat(seen.at("/s3/1").asText()).contains("'s3' is not served by the local cloud");
  }

  @Test
  @ResourceLock(CHAIN)
  void boto3WritesToTheChainWithTheEndpointAlone() throws Exception {
    awaitAlarmOk();
    long requested = cloud.function().requestedInvocations();
    ToolRun run =
        tool(
            List.of(
                PinnedPython.interpreter().toString(),
                Path.of("src", "test", "resources", "endpoint", "write_chain.py").toString(),
                NAMES.alarm(),
                NAMES.function(),
                NAMES.topic(),
                NAMES.queue()));
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode seen = JSON.readTree(run.out());

    assertThat(seen.get("set")).isNotEmpty();
    assertThat(seen.at("/set/0").asText()).endsWith("to ALARM");
    assertThat(seen.at("/set_unknown/0").asText()).isEqualTo("ResourceNotFound");
    assertThat(seen.at("/set_unknown/2").asInt()).isEqualTo(404);
    assertThat(seen.at("/set_bad_state/0").asText()).isEqualTo("ValidationError");

    String topic = seen.get("topic").asText();
    assertThat(topic).isEqualTo("arn:aws:sns:us-east-1:000000000000:aws-endpoint-it-boto3");
    assertThat(seen.get("topic_again").asText()).isEqualTo(topic);
    List<String> topics = new ArrayList<>();
    seen.get("topics").forEach(t -> topics.add(t.asText()));
    assertThat(topics).contains(topicArn(), topic);
    assertThat(seen.at("/subscriptions/0/0").asText()).isEqualTo("lambda");
    assertThat(seen.at("/subscriptions/0/1").asText()).isEqualTo(functionArn());
    assertThat(seen.at("/subscriptions/0/2").asText()).isEqualTo(seen.get("subscription").asText());
    String messageId = seen.get("message_id").asText();
    await().atMost(Duration.ofSeconds(20)).until(() -> decisions(messageId) == 1);
    assertThat(seen.at("/publish_unknown/0").asText()).isEqualTo("NotFound");
    assertThat(seen.at("/publish_unknown/2").asInt()).isEqualTo(404);
    assertThat(seen.at("/subscribe_email/0").asText()).isEqualTo("InvalidParameter");

    assertThat(seen.at("/made/state").asText()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(seen.at("/made/period").asInt()).isEqualTo(10);
    assertThat(seen.at("/made/threshold").asDouble()).isEqualTo(50.0);
    assertThat(seen.at("/made/ok_actions/0").asText()).isEqualTo(topic);
    assertThat(seen.at("/put_other_metric/0").asText()).isEqualTo("InvalidParameterValue");
    assertThat(seen.at("/put_other_metric/1").asText()).contains("AWS/EC2 CPUUtilization");
    assertThat(seen.get("after_delete").asInt()).isZero();
    assertThat(seen.at("/delete_chain/0").asText()).isEqualTo("ValidationError");

    assertThat(seen.at("/invoke/status").asInt()).isEqualTo(200);
    assertThat(seen.at("/invoke/error").isNull()).isTrue();
    assertThat(seen.at("/invoke/version").asText()).isEqualTo("$LATEST");
    // A reconcile: idle on the drained queue, or satisfied while the alarm set above still holds.
    assertThat(seen.at("/invoke/payload").asText())
        .containsAnyOf("idle: alarm", "reconcile: alarm");
    assertThat(seen.at("/invoke/tail").asText())
        .contains("START RequestId: " + seen.at("/invoke/request_id").asText());
    assertThat(seen.at("/invoke_failed/status").asInt()).isEqualTo(200);
    assertThat(seen.at("/invoke_failed/error").asText()).isEqualTo("Unhandled");
    assertThat(seen.at("/invoke_failed/payload").has("errorMessage")).isTrue();
    assertThat(seen.get("invoke_event").asInt()).isEqualTo(202);
    assertThat(seen.at("/invoke_unknown/0").asText()).isEqualTo("ResourceNotFoundException");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cloud.function().requestedInvocations() == requested + 3);
    awaitAlarmOk();
    assertThat(cloud.launcher().tasks()).allMatch(t -> t.state() == TaskState.STOPPED);
  }
}
