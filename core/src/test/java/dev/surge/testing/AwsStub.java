package dev.surge.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP stand-in for the AWS APIs the adapters call, on 127.0.0.1 and a free port. It
 * records every request, so tests assert the exact bytes the SDK sends. Each service speaks the
 * protocol it has in this SDK version: ECS, CloudWatch Logs and SQS speak AWS JSON 1.1 (operation
 * in {@code X-Amz-Target}); CloudWatch speaks Smithy RPC v2 CBOR (operation in the path);
 * CloudFormation speaks the AWS query protocol (form-encoded {@code Action=...}, XML answers).
 */
public final class AwsStub implements AutoCloseable {
  private static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113.";
  private static final String LOGS_TARGET = "Logs_20140328.";
  private static final String SQS_TARGET = "AmazonSQS.";
  private static final String CLOUDWATCH_PATH = "/service/GraniteServiceVersion20100801/operation/";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR =
      CBORMapper.builder()
          .addModule(new SimpleModule().addSerializer(Instant.class, new EpochSeconds()))
          .build();

  public final WireMockServer server;

  public AwsStub() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  public URI endpoint() {
    return URI.create(server.baseUrl());
  }

  /** Matches a request for ECS operation {@code op}. */
  public static MappingBuilder ecs(String op) {
    return target(ECS_TARGET + op);
  }

  /** Matches a request for CloudWatch Logs operation {@code op}. */
  public static MappingBuilder logs(String op) {
    return target(LOGS_TARGET + op);
  }

  /** Matches a request for SQS operation {@code op}. */
  public static MappingBuilder sqs(String op) {
    return target(SQS_TARGET + op);
  }

  /** Matches a request for CloudWatch operation {@code op}. */
  public static MappingBuilder cloudWatch(String op) {
    return post(urlEqualTo(CLOUDWATCH_PATH + op));
  }

  /** Matches a CloudFormation query request for {@code action}. */
  public static MappingBuilder cloudFormation(String action) {
    return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action));
  }

  private static MappingBuilder target(String target) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
  }

  /** The requests received for ECS operation {@code op}, oldest first. */
  public List<LoggedRequest> ecsRequests(String op) {
    return targetRequests(ECS_TARGET + op);
  }

  /** The JSON bodies of the requests received for ECS operation {@code op}, oldest first. */
  public List<JsonNode> ecsBodies(String op) {
    return ecsRequests(op).stream().map(r -> read(r.getBodyAsString())).toList();
  }

  /** The requests received for CloudWatch Logs operation {@code op}, oldest first. */
  public List<LoggedRequest> logsRequests(String op) {
    return targetRequests(LOGS_TARGET + op);
  }

  /** The requests received for CloudWatch operation {@code op}, oldest first. */
  public List<LoggedRequest> cloudWatchRequests(String op) {
    return server.findAll(postRequestedFor(urlEqualTo(CLOUDWATCH_PATH + op)));
  }

  private List<LoggedRequest> targetRequests(String target) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)));
  }

  /** An AWS JSON 1.1 answer; a {@link String} body is sent as it is. */
  public static ResponseDefinitionBuilder json(Object body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-RequestId", "stub-request")
        .withBody(write(body));
  }

  /** An AWS JSON error answer. */
  public static ResponseDefinitionBuilder jsonError(int status, String type, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-RequestId", "stub-request-err")
        .withBody(write(Map.of("__type", type, "message", message)));
  }

  /** A successful Smithy RPC v2 CBOR answer; see {@link #cbor(int, Object)}. */
  public static ResponseDefinitionBuilder cbor(Object body) {
    return cbor(200, body);
  }

  /** A Smithy RPC v2 CBOR answer; {@link Instant} values become tagged epoch-seconds. */
  public static ResponseDefinitionBuilder cbor(int status, Object body) {
    try {
      return aResponse()
          .withStatus(status)
          .withHeader("Content-Type", "application/cbor")
          .withHeader("smithy-protocol", "rpc-v2-cbor")
          .withHeader("x-amzn-RequestId", "stub-request")
          .withBody(CBOR.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An AWS query protocol (XML) answer. */
  public static ResponseDefinitionBuilder xml(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "text/xml")
        .withHeader("x-amzn-RequestId", "stub-request")
        .withBody(body);
  }

  /** A JSON request or answer body, read. */
  public static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CBOR request or answer body, read. */
  public static JsonNode readCbor(byte[] body) {
    try {
      return CBOR.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@link Instant} as Smithy RPC v2 CBOR encodes timestamps. */
  private static final class EpochSeconds extends StdSerializer<Instant> {
    EpochSeconds() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant i, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      // RFC 8949 tag 1: epoch-based date/time, in seconds.
      ((CBORGenerator) g).writeTag(1);
      g.writeNumber(i.toEpochMilli() / 1000.0);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
