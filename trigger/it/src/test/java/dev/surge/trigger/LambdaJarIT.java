package dev.surge.trigger;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static dev.surge.testing.AwsStub.cbor;
import static dev.surge.testing.AwsStub.cloudWatch;
import static dev.surge.testing.AwsStub.ecs;
import static dev.surge.testing.AwsStub.json;
import static dev.surge.testing.AwsStub.sqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.testing.AwsStub;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lambda function as packaged: the shaded jar, loaded in a class loader that sees nothing of
 * the test's class path (its parent is the platform loader), is invoked the way the Lambda runtime
 * invokes it: the handler built by the runtime's no-argument path (here its environment-map
 * constructor, pointing at a local stub), the event deserialized from JSON by the runtime's own
 * serializer into the jar's event classes, and {@code handleRequest} called through the jar's
 * {@code RequestHandler} interface.
 */
class LambdaJarIT {
  private static final String HANDLER = "dev.surge.trigger.TriggerHandler";
  private static final String EVENTS = "com.amazonaws.services.lambda.runtime.";

  private static AwsStub stub;
  // One loader for the class, as one Lambda runtime has one (the runtime's serializer caches per
  // event class name, so a second loader of the same classes would confuse it).
  private static URLClassLoader lambda;
  // The runtime's serializer in a loader of its own, as in a Lambda JVM, where it has seen no other
  // event classes: the one on the test's class path keeps Jackson modules registered once per JVM
  // (its Joda DateTime module among them), so another test class of this JVM deserializing an
  // SNSEvent first would leave it unable to build this jar's DateTime.
  private static URLClassLoader runtime;

  @BeforeAll
  static void start() throws Exception {
    stub = new AwsStub();
    Path jar =
        Path.of(System.getProperty("surge.lambda.jar", "../target/surge-trigger-lambda.jar"));
    assertThat(jar).exists();
    lambda =
        new URLClassLoader(
            "lambda", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    URL serialization =
        LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation();
    runtime =
        new URLClassLoader(
            "runtime", new URL[] {serialization}, ClassLoader.getPlatformClassLoader());
    // What another test class of this JVM may have done already; the jar's invocations must not
    // depend on whether it ran first.
    assertThat(Fixtures.sns("sns-alarm.json").getRecords()).hasSize(1);
  }

  @AfterAll
  static void stop() throws Exception {
    runtime.close();
    lambda.close();
    stub.close();
  }

  @BeforeEach
  void reset() {
    stub.server.resetAll();
  }

  /** The queue holds {@code visible} messages, {@code running} of our tasks are alive. */
  private static void world(long visible, int running) {
    String queueUrl = stub.server.baseUrl() + "/123456789012/demo-decoupling-saa";
    stub.server.stubFor(
        sqs("GetQueueUrl")
            .withRequestBody(matchingJsonPath("$.QueueName", equalTo("demo-decoupling-saa")))
            .willReturn(json(Map.of("QueueUrl", queueUrl))));
    stub.server.stubFor(
        sqs("GetQueueAttributes")
            .withRequestBody(matchingJsonPath("$.QueueUrl", equalTo(queueUrl)))
            .willReturn(
                json(
                    Map.of(
                        "Attributes",
                        Map.of(
                            "ApproximateNumberOfMessages", String.valueOf(visible),
                            "ApproximateNumberOfMessagesNotVisible", "0",
                            "ApproximateNumberOfMessagesDelayed", "0")))));
    List<String> arns =
        IntStream.range(0, running)
            .mapToObj(i -> "arn:aws:ecs:us-east-1:123456789012:task/FastTrack-Saa-Sqs-demo/r" + i)
            .toList();
    stub.server.stubFor(ecs("ListTasks").willReturn(json(Map.of("taskArns", arns))));
    for (int count = 1; count <= 10; count++) {
      List<Map<String, String>> tasks =
          IntStream.range(0, count)
              .mapToObj(
                  i ->
                      Map.of(
                          "taskArn",
                          "arn:aws:ecs:us-east-1:123456789012:task/FastTrack-Saa-Sqs-demo/n" + i,
                          "lastStatus",
                          "PROVISIONING"))
              .toList();
      stub.server.stubFor(
          ecs("RunTask")
              .withRequestBody(matchingJsonPath("$.count", equalTo(String.valueOf(count))))
              .willReturn(json(Map.of("tasks", tasks, "failures", List.of()))));
    }
  }

  private static void alarmIs(String state) {
    stub.server.stubFor(
        cloudWatch("DescribeAlarms")
            .willReturn(
                cbor(
                    Map.of(
                        "MetricAlarms",
                        List.of(Map.of("AlarmName", "fasttrack-saa-backlog", "StateValue", state)),
                        "CompositeAlarms",
                        List.of()))));
  }

  /** Invokes the packaged handler with the event in {@code events/<fixture>}, as Lambda would. */
  private Object invoke(String fixture) throws Exception {
    Class<?> handlerClass = lambda.loadClass(HANDLER);
    assertThat(handlerClass.getClassLoader()).isSameAs(lambda);
    Object handler =
        handlerClass.getConstructor(Map.class).newInstance(StubbedAws.lambdaEnvironment(stub));

    Class<?> eventClass = lambda.loadClass(EVENTS + "events.SNSEvent");
    Object serializer =
        runtime
            .loadClass(LambdaEventSerializers.class.getName())
            .getMethod("serializerFor", Class.class, ClassLoader.class)
            .invoke(null, eventClass, lambda);
    Method fromJson =
        runtime.loadClass(PojoSerializer.class.getName()).getMethod("fromJson", InputStream.class);
    Object event;
    try (InputStream in = Fixtures.open("events/" + fixture)) {
      event = fromJson.invoke(serializer, in);
    }
    assertThat(event.getClass().getClassLoader()).isSameAs(lambda);

    Class<?> contextClass = lambda.loadClass(EVENTS + "Context");
    Object context =
        Proxy.newProxyInstance(lambda, new Class<?>[] {contextClass}, LambdaJarIT::context);
    Class<?> requestHandler = lambda.loadClass(EVENTS + "RequestHandler");
    assertThat(requestHandler.isInstance(handler)).isTrue();
    Method handleRequest = requestHandler.getMethod("handleRequest", Object.class, contextClass);
    return handleRequest.invoke(handler, event, context);
  }

  /** A minimal Lambda context: a request id, a function name, time left. */
  private static Object context(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "getAwsRequestId" -> "8f507cfc-example-request";
      case "getFunctionName" -> "fasttrack-saa";
      case "getRemainingTimeInMillis" -> 20_000;
      case "getMemoryLimitInMB" -> 512;
      case "toString" -> "LambdaContext";
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> null;
    };
  }

  @Test
  void theJarHoldsTheHandlerButNotTheTestClassPath() {
    assertThatThrownBy(() -> lambda.loadClass("org.junit.jupiter.api.Test"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> lambda.loadClass("dev.surge.trigger.TriggerServiceTest"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> lambda.loadClass("io.netty.channel.Channel"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> lambda.loadClass("org.apache.http.client.HttpClient"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theJarCarriesTheDynamoDbClientOfTheFleetLeaseOnTheApache5Client() throws Exception {
    Class<?> client = lambda.loadClass("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
    assertThat(client.getClassLoader()).isSameAs(lambda);
    assertThat(lambda.loadClass("dev.surge.trigger.DynamoDbFleetLease").getClassLoader())
        .isSameAs(lambda);
    assertThatThrownBy(
            () -> lambda.loadClass("software.amazon.awssdk.http.apache.ApacheHttpClient"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void anAlarmNotificationStartsTheSeedsFourTasksThroughTheStub() throws Exception {
    world(1100, 0);

    Object result = invoke("sns-alarm.json");

    assertThat(result).asString().startsWith("LAUNCHED: alarm fasttrack-saa-backlog OK -> ALARM");
    List<JsonNode> runTasks = stub.ecsBodies("RunTask");
    assertThat(runTasks).hasSize(1);
    JsonNode body = runTasks.get(0);
    assertThat(body.get("count").intValue()).isEqualTo(4);
    assertThat(body.get("cluster").asText()).isEqualTo("FastTrack-Saa-Sqs-demo");
    assertThat(body.get("taskDefinition").asText()).isEqualTo("fasttrack-saa-td");
    assertThat(body.get("launchType").asText()).isEqualTo("FARGATE");
    assertThat(body.path("networkConfiguration").path("awsvpcConfiguration").get("subnets"))
        .hasSize(2);
    assertThat(stub.ecsRequests("RunTask").get(0).getHeader("Authorization"))
        .contains("Credential=AKIDSTUB/");
  }

  @Test
  void runningTasksAreSubtractedInThePackagedHandlerToo() throws Exception {
    world(1100, 3);

    invoke("sns-alarm.json");

    assertThat(stub.ecsBodies("RunTask"))
        .extracting(b -> b.get("count").intValue())
        .containsExactly(1);
  }

  @Test
  void aMalformedNotificationReturnsNormallyAndLaunchesNothing() throws Exception {
    world(1100, 0);

    Object result = invoke("sns-malformed-not-json.json");

    assertThat(result).asString().startsWith("malformed: not JSON");
    assertThat(stub.ecsRequests("RunTask")).isEmpty();
  }

  @Test
  void theScheduleEventReconcilesAndIsIdleWhileTheAlarmIsOk() throws Exception {
    world(0, 0);
    alarmIs("OK");

    Object result = invoke("schedule.json");

    assertThat(result).isEqualTo("idle: alarm OK, queue empty");
    assertThat(stub.cloudWatchRequests("DescribeAlarms")).hasSize(1);
    assertThat(stub.ecsRequests("RunTask")).isEmpty();
  }

  @Test
  void theScheduleEventTopsUpTheFleetWhileTheAlarmStaysInAlarm() throws Exception {
    world(1100, 1);
    alarmIs("ALARM");

    Object result = invoke("schedule.json");

    assertThat(result).asString().startsWith("LAUNCHED: reconcile");
    assertThat(stub.cloudWatchRequests("DescribeAlarms")).hasSize(1);
    assertThat(stub.ecsBodies("RunTask"))
        .extracting(b -> b.get("count").intValue())
        .containsExactly(3);
  }
}
