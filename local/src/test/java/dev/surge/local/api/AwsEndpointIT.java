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
import dev.surge.standins.NodeRuntime;
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
 * The chain, watched through the one AWS endpoint as one would watch the deployed chain: a burst
 * runs through alarm, topic, function and tasks, then the Java SDK, the aws CLI and boto3 read
 * every box back, each with nothing but the endpoint, and the answers are the chain's own (the
 * alarm went to ALARM, the tasks with their exit codes, a task's log lines, the table's count).
 */
@Order(1) // among the longest: started first
@Execution(ExecutionMode.CONCURRENT) // the tests only read the one burst's chain
class AwsEndpointIT {
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

  /** A task as DescribeTasks showed it while it ran. */
  private static Task whileRunning;

  @BeforeAll
  static void burst() throws Exception {
    logs = Files.createTempDirectory("aws-endpoint-it");
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
  void theJavaSdkSeesTheTopicItsSubscriptionAndTheFunction() {
    assertThat(sns.listTopics().topics()).extracting(t -> t.topicArn()).containsExactly(topicArn());
    Map<String, String> attributes =
        sns.getTopicAttributes(b -> b.topicArn(topicArn())).attributes();
    assertThat(attributes)
        .containsEntry("TopicArn", topicArn())
        .containsEntry("Owner", "000000000000")
        .containsEntry("SubscriptionsConfirmed", "1");
    for (List<Subscription> subs :
        List.of(
            sns.listSubscriptions().subscriptions(),
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
  void theJavaSdkSeesTheTasksRunningAndStoppedWithTheirExitCodesAndLogs() {
    assertThat(ecs.listClusters().clusterArns())
        .containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/" + NAMES.cluster());
    assertThat(ecs.describeClusters(b -> b.clusters(NAMES.cluster())).clusters())
        .singleElement()
        .satisfies(c -> assertThat(c.runningTasksCount()).isZero());
    String definitionArn =
        "arn:aws:ecs:us-east-1:000000000000:task-definition/" + NAMES.taskFamily() + ":1";
    assertThat(ecs.listTaskDefinitions().taskDefinitionArns()).containsExactly(definitionArn);
    TaskDefinition definition =
        ecs.describeTaskDefinition(b -> b.taskDefinition(NAMES.taskFamily())).taskDefinition();
    assertThat(definition.family()).isEqualTo(NAMES.taskFamily());
    assertThat(definition.containerDefinitions().get(0).entryPoint())
        .contains("dev.surge.worker.WorkerMain");
    Map<String, String> logOptions =
        definition.containerDefinitions().get(0).logConfiguration().options();
    assertThat(logOptions).containsEntry("awslogs-group", "/ecs/" + NAMES.taskFamily());

    // While it ran.
    assertThat(whileRunning.lastStatus()).isIn("PROVISIONING", "RUNNING");
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
  void anOperationNotServedGetsOneClearErrorInItsServicesFormat() {
    assertThatThrownBy(
            () ->
                cloudWatch.setAlarmState(
                    b -> b.alarmName(NAMES.alarm()).stateValue(StateValue.ALARM).stateReason("x")))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .contains("'SetAlarmState' is not served")
                  .contains("DescribeAlarms, DescribeAlarmHistory");
            });
    assertThat(cloud.alarm().state()).isNotEqualTo(AlarmState.INSUFFICIENT_DATA);
    assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn()).message("x")))
        .isInstanceOfSatisfying(
            SnsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
              assertThat(e.awsErrorDetails().errorMessage()).contains("ListTopics");
            });
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(NAMES.function())))
        .isInstanceOfSatisfying(
            LambdaException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("'Invoke' is not served"));
    assertThatThrownBy(
            () -> ecs.runTask(b -> b.cluster(NAMES.cluster()).taskDefinition(NAMES.taskFamily())))
        .isInstanceOfSatisfying(
            EcsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
              assertThat(e.awsErrorDetails().errorMessage()).contains("'RunTask' is not served");
            });
    assertThatThrownBy(() -> logsClient.createLogGroup(b -> b.logGroupName("x")))
        .isInstanceOf(CloudWatchLogsException.class)
        .hasMessageContaining("'CreateLogGroup' is not served");
    assertThat(cloud.launcher().tasks()).allMatch(t -> t.state() == TaskState.STOPPED);
  }

  @Test
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
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SURGE_"));
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "surge-local");
    env.put("AWS_SECRET_ACCESS_KEY", "surge-local");
    env.put("AWS_CONFIG_FILE", "/nonexistent");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    return env;
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
    List<String> command = new ArrayList<>();
    command.add(
        NodeRuntime.find("aws")
            .orElseThrow(
                () -> new AssertionError("the aws CLI is not on the PATH; pip install awscli"))
            .toString());
    command.addAll(List.of(args));
    ToolRun run = tool(command);
    assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.err()).isZero();
    return JSON.readTree(run.out().isBlank() ? "{}" : run.out());
  }

  @Test
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
    List<String> setState = new ArrayList<>();
    setState.add(NodeRuntime.find("aws").orElseThrow().toString());
    setState.addAll(
        List.of(
            "cloudwatch",
            "set-alarm-state",
            "--alarm-name",
            NAMES.alarm(),
            "--state-value",
            "ALARM",
            "--state-reason",
            "x"));
    ToolRun refused = tool(setState);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("UnknownOperationException")
        .contains("'SetAlarmState' is not served by the local cloud's CloudWatch");
  }

  @Test
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
    assertThat(seen.at("/run_task/0").asText()).isEqualTo("UnknownOperationException");
    assertThat(seen.at("/run_task/1").asText()).contains("'RunTask' is not served");
    assertThat(seen.at("/s3/1").asText()).contains("'s3' is not served by the local cloud");
  }
}
