package dev.surge.watch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP stand-in for the AWS control-plane APIs the observer calls, on 127.0.0.1 and a free
 * port; it records every request. CloudFormation speaks the AWS query protocol in this SDK version
 * (form-encoded {@code Action=...}, XML answers); ECS speaks AWS JSON 1.1 (operation in {@code
 * X-Amz-Target}), as does CloudWatch Logs; CloudWatch speaks Smithy RPC v2 CBOR (operation in the
 * path).
 */
final class AwsStub implements AutoCloseable {
  static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113.";
  static final String LOGS_TARGET = "Logs_20140328.";
  static final String CLOUDWATCH_PATH = "/service/GraniteServiceVersion20100801/operation/";
  static final String ACCOUNT = "123456789012";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORFactory CBOR = new CBORFactory();

  final WireMockServer server;

  AwsStub() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  URI endpoint() {
    return URI.create(server.baseUrl());
  }

  /** Matches a CloudFormation query request for {@code action}. */
  static MappingBuilder cloudFormation(String action) {
    return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action));
  }

  /** Matches an ECS request for {@code op}. */
  static MappingBuilder ecs(String op) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS_TARGET + op));
  }

  /** Matches a CloudWatch Logs request for {@code op}. */
  static MappingBuilder logs(String op) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOGS_TARGET + op));
  }

  /** The requests received for CloudWatch Logs operation {@code op}, oldest first. */
  List<LoggedRequest> logsRequests(String op) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOGS_TARGET + op)));
  }

  /** A log event as FilterLogEvents lists it. */
  static Map<String, Object> logEvent(String id, String stream, long timestamp, String message) {
    return Map.of(
        "eventId", id,
        "logStreamName", stream,
        "timestamp", timestamp,
        "ingestionTime", timestamp + 500,
        "message", message);
  }

  /** Matches a CloudWatch request for {@code op}. */
  static MappingBuilder cloudWatch(String op) {
    return post(urlEqualTo(CLOUDWATCH_PATH + op));
  }

  /** An AWS query protocol (XML) answer. */
  static ResponseDefinitionBuilder xml(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "text/xml")
        .withHeader("x-amzn-RequestId", "stub-request")
        .withBody(body);
  }

  /** An AWS JSON 1.1 answer. */
  static ResponseDefinitionBuilder json(Object body) {
    try {
      return aResponse()
          .withStatus(200)
          .withHeader("Content-Type", "application/x-amz-json-1.1")
          .withHeader("x-amzn-RequestId", "stub-request")
          .withBody(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Smithy RPC v2 CBOR answer; {@link Instant} values become tagged epoch-seconds. */
  static ResponseDefinitionBuilder cbor(int status, Map<String, ?> body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/cbor")
        .withHeader("smithy-protocol", "rpc-v2-cbor")
        .withHeader("x-amzn-RequestId", "stub-request")
        .withBody(encodeCbor(body));
  }

  /** The requests received for CloudWatch operation {@code op}, oldest first. */
  List<LoggedRequest> cloudWatchRequests(String op) {
    return server.findAll(postRequestedFor(urlEqualTo(CLOUDWATCH_PATH + op)));
  }

  /** The requests received for ECS operation {@code op}, oldest first. */
  List<LoggedRequest> ecsRequests(String op) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS_TARGET + op)));
  }

  /** A task ARN of the test cluster. */
  static String taskArn(String cluster, String id) {
    return "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/" + cluster + "/" + id;
  }

  /**
   * A described Fargate task with a worker container named {@code container}, in ECS's {@code
   * lastStatus} spelling; a STOPPED task has an exit code and a stop reason.
   */
  static Map<String, Object> task(
      String cluster, String container, String id, String lastStatus, int exitCode) {
    Map<String, Object> worker =
        "STOPPED".equals(lastStatus)
            ? Map.of("name", container, "lastStatus", lastStatus, "exitCode", exitCode)
            : Map.of("name", container, "lastStatus", lastStatus);
    Map<String, Object> base =
        Map.of(
            "taskArn",
            taskArn(cluster, id),
            "lastStatus",
            lastStatus,
            "desiredStatus",
            "STOPPED".equals(lastStatus) ? "STOPPED" : "RUNNING",
            "launchType",
            "FARGATE",
            "startedBy",
            "surge",
            "createdAt",
            1795816207.25,
            "containers",
            List.of(worker));
    if (!"STOPPED".equals(lastStatus)) {
      return base;
    }
    Map<String, Object> stopped = new java.util.HashMap<>(base);
    stopped.put("stoppedAt", 1795816512.5);
    stopped.put("stoppedReason", "Essential container in task exited");
    return stopped;
  }

  /** A metric alarm as DescribeAlarms lists it. */
  static Map<String, Object> alarm(String name, String state, String reason, Instant since) {
    return Map.of(
        "AlarmName",
        name,
        "AlarmArn",
        "arn:aws:cloudwatch:us-east-1:" + ACCOUNT + ":alarm:" + name,
        "StateValue",
        state,
        "StateReason",
        reason,
        "StateTransitionedTimestamp",
        since,
        "MetricName",
        "ApproximateNumberOfMessagesVisible",
        "Namespace",
        "AWS/SQS",
        "Statistic",
        "Sum",
        "Threshold",
        100.0,
        "ComparisonOperator",
        "GreaterThanThreshold");
  }

  private static byte[] encodeCbor(Map<String, ?> body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = CBOR.createGenerator(out)) {
      write(g, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(CBORGenerator g, Object v) throws IOException {
    if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(e.getKey().toString());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Instant i) {
      // RFC 8949 tag 1: epoch-based date/time, as Smithy RPC v2 CBOR encodes timestamps.
      g.writeTag(1);
      g.writeNumber(i.toEpochMilli() / 1000.0);
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Integer n) {
      g.writeNumber(n);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      throw new IllegalArgumentException("cannot encode " + v);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
