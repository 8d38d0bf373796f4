package dev.surge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.surge.aws.AwsTarget;
import dev.surge.core.LoopbackRequests;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.producer.Producer;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueueOptions;
import dev.surge.queue.QueuePair;
import dev.surge.standins.SourceTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The function's cold start ({@link FunctionColdStart}, a fresh JVM per round) from the packaged
 * Lambda jar, with the JVM options of Lambda's Java runtime, on an alarm notification for a queue
 * of the seed's 1,100 messages: its backlog is read from the bench's SQS stand-in, its fleet lease
 * taken in a control table on the DynamoDB stand-in, and its {@code ListTasks}, {@code
 * DescribeTasks} and {@code RunTask} calls answered by a small ECS endpoint here that starts
 * nothing. The figures are the function's own work: the emulated services answer in well under a
 * millisecond. Lambda SnapStart's restore cannot be reproduced here (it needs Lambda's Firecracker
 * snapshots); the warm invocation is what a primed, restored instance's first one approaches.
 */
final class FunctionStartBench {
  /** What Lambda's Java runtime starts the JVM with (besides its heap size and agent). */
  static final String LAMBDA_JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

  private static final String HANDLER = "dev.surge.trigger.TriggerHandler";

  private final AwsTarget target;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final Provisioner provisioner;
  private final PrintWriter progress;

  FunctionStartBench(
      AwsTarget target,
      SqsClient sqs,
      DynamoDbClient dynamodb,
      Provisioner provisioner,
      PrintWriter progress) {
    this.target = target;
    this.sqs = sqs;
    this.dynamodb = dynamodb;
    this.provisioner = provisioner;
    this.progress = progress;
  }

  /** The jar {@code surge deploy} packages, if this is a source checkout that has built it. */
  static Optional<Path> lambdaJar() {
    try {
      Path jar = SourceTree.locate().lambdaJar();
      return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code functionColdStartMs} (init + first invocation) and its parts, best of {@code rounds}
   * fresh JVMs; empty when there is no Lambda jar to measure.
   */
  ObjectNode run(int rounds) throws IOException, InterruptedException {
    ObjectNode o = new ObjectMapper().createObjectNode();
    Optional<Path> jar = lambdaJar();
    if (jar.isEmpty()) {
      progress.printf(
          Locale.ROOT,
          "bench: no trigger/target/surge-trigger-lambda.jar (build the trigger module): the"
              + " function's cold start is not measured%n");
      return o;
    }
    String id = "bench-function-" + UUID.randomUUID().toString().substring(0, 8);
    QueuePair q = provisioner.ensureQueue(id, id + "-dlq", QueueOptions.defaults());
    new Producer(sqs, q.url(), Backoff.standard())
        .produce(1100, 8, Optional.empty(), new UniqueBodies(new SplittableRandom()), n -> {});
    HttpServer ecs = ecsEndpoint();
    try {
      JsonNode best = null;
      for (int round = 1; round <= rounds; round++) {
        progress.printf(
            Locale.ROOT, "bench: function cold start from %s (round %d)...%n", jar.get(), round);
        // A control table of its own: the last round's launches would count as running tasks.
        String control = id + "-control-" + round;
        dynamodb.createTable(
            b ->
                b.tableName(control)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName(ControlSchema.KEY)
                            .keyType(KeyType.HASH)
                            .build())
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName(ControlSchema.KEY)
                            .attributeType(ScalarAttributeType.S)
                            .build()));
        Map<String, String> env = new HashMap<>(target.toEnvironment());
        env.put("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:" + ecs.getAddress().getPort());
        env.put(TriggerSettings.QUEUE, q.url());
        env.put(TriggerSettings.ALARM, "fasttrack-saa-backlog");
        env.put(EcsVariables.CLUSTER, "FastTrack-Saa-Sqs-demo");
        env.put(EcsVariables.TASK_DEFINITION, "fasttrack-saa-td");
        env.put(EcsVariables.CONTAINER, "fasttrack-saa");
        env.put(EcsVariables.SUBNETS, "subnet-00000000");
        env.put(EcsVariables.SECURITY_GROUPS, "sg-00000000");
        env.put(ControlSchema.TABLE, control);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "fasttrack-saa");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("JAVA_TOOL_OPTIONS", LAMBDA_JVM_OPTIONS);
        JsonNode r =
            ChildRun.run(
                FunctionColdStart.class.getName(),
                List.of(jar.get().toString(), HANDLER, message()),
                env,
                FunctionColdStart.RESULT_PREFIX);
        if (!r.path("firstResult").asText().startsWith("LAUNCHED")) {
          throw new IllegalStateException("the function did not start tasks: " + r);
        }
        if (best == null || total(r) < total(best)) {
          best = r;
        }
      }
      o.put("functionColdStartMs", total(best));
      ObjectNode parts = o.putObject("functionColdStart");
      parts.put("jvmToMainMs", best.get("mainMs").asLong());
      parts.put("initMs", best.get("initDoneMs").asLong());
      parts.put("constructorMs", best.get("initMs").asLong());
      parts.put("initCpuMs", best.get("initCpuMs").asLong());
      parts.put("firstInvokeMs", best.get("firstInvokeMs").asLong());
      parts.put("firstInvokeCpuMs", best.get("firstInvokeCpuMs").asLong());
      parts.put("warmInvokeMs", best.get("warmInvokeMs").asLong());
      parts.put("jvmOptions", LAMBDA_JVM_OPTIONS);
      return o;
    } finally {
      ecs.stop(0);
    }
  }

  /** From the process's start to the end of the first invocation: init and first invoke. */
  private static long total(JsonNode r) {
    return r.get("initDoneMs").asLong() + r.get("firstInvokeMs").asLong();
  }

  private static String message() {
    return "{\"AlarmName\":\"fasttrack-saa-backlog\",\"AWSAccountId\":\"123456789012\","
        + "\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"Threshold Crossed\","
        + "\"StateChangeTime\":\"2026-11-27T21:50:05.123+0000\","
        + "\"Region\":\"US East (N. Virginia)\","
        + "\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:fasttrack-saa-backlog\","
        + "\"OldStateValue\":\"OK\",\"Trigger\":{\"MetricName\":"
        + "\"ApproximateNumberOfMessagesVisible\",\"Namespace\":\"AWS/SQS\","
        + "\"StatisticType\":\"Statistic\",\"Statistic\":\"SUM\",\"Unit\":null,"
        + "\"Dimensions\":[{\"value\":\"demo-decoupling-saa\",\"name\":\"QueueName\"}],"
        + "\"Period\":60,\"EvaluationPeriods\":1,\"DatapointsToAlarm\":1,"
        + "\"ComparisonOperator\":\"GreaterThanThreshold\",\"Threshold\":100.0,"
        + "\"TreatMissingData\":\"missing\",\"EvaluateLowSampleCountPercentile\":\"\"}}";
  }

  // ECS's JSON 1.1 API, just enough for a decision: no task runs, and RunTask starts what it asks.
  private static HttpServer ecsEndpoint() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ObjectMapper json = new ObjectMapper();
    server.createContext(
        "/",
        exchange -> {
          Optional<String> refused =
              LoopbackRequests.refusal(
                  false,
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders().getFirst("Host"),
                  exchange.getRequestHeaders().getFirst("Origin"),
                  exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"));
          if (refused.isPresent()) {
            reply(exchange, 403, "{\"__type\":\"AccessDeniedException\"}");
            return;
          }
          String op = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          JsonNode request = json.readTree(exchange.getRequestBody());
          ObjectNode answer = json.createObjectNode();
          String action = op == null ? "" : op.substring(op.lastIndexOf('.') + 1);
          switch (action) {
            case "ListTasks" -> answer.putArray("taskArns");
            case "DescribeTasks" -> {
              answer.putArray("tasks");
              answer.putArray("failures");
            }
            case "RunTask" -> {
              ArrayNode tasks = answer.putArray("tasks");
              for (int i = 0; i < request.path("count").asInt(1); i++) {
                tasks
                    .addObject()
                    .put(
                        "taskArn",
                        "arn:aws:ecs:us-east-1:123456789012:task/FastTrack-Saa-Sqs-demo/"
                            + UUID.randomUUID().toString().replace("-", ""))
                    .put("lastStatus", "PROVISIONING")
                    .put("desiredStatus", "RUNNING");
              }
              answer.putArray("failures");
            }
            default -> {
              reply(exchange, 400, "{\"__type\":\"InvalidParameterException\"}");
              return;
            }
          }
          reply(exchange, 200, json.writeValueAsString(answer));
        });
    server.start();
    return server;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
