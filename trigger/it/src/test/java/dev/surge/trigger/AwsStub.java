package dev.surge.trigger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP stand-in for the AWS APIs the trigger calls, on 127.0.0.1 and a free port. It
 * records every request, so tests assert the exact bytes the SDK sends. ECS and SQS speak AWS JSON
 * (operation in {@code X-Amz-Target}); CloudWatch speaks Smithy RPC v2 CBOR (operation in the
 * path).
 */
final class AwsStub implements AutoCloseable {
  static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113.";
  static final String SQS_TARGET = "AmazonSQS.";
  static final String CLOUDWATCH_PATH = "/service/GraniteServiceVersion20100801/operation/";

  static final ObjectMapper JSON = new ObjectMapper();
  static final CBORMapper CBOR = new CBORMapper();

  final WireMockServer server;

  AwsStub() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  URI endpoint() {
    return URI.create(server.baseUrl());
  }

  /** Clients whose ECS, SQS and CloudWatch endpoints are this stub, with dummy credentials. */
  AwsClients clients() {
    URI e = endpoint();
    return new AwsClients(
        new AwsTarget("us-east-1", Map.of("ECS", e, "SQS", e, "CLOUDWATCH", e), true),
        2,
        List.of());
  }

  /** The environment of a Lambda function whose AWS endpoints are this stub. */
  Map<String, String> lambdaEnvironment() {
    String e = server.baseUrl();
    return Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "AKIDSTUB",
        "AWS_SECRET_ACCESS_KEY", "stub-secret",
        "AWS_SESSION_TOKEN", "stub-token",
        "AWS_ENDPOINT_URL_ECS", e,
        "AWS_ENDPOINT_URL_SQS", e,
        "AWS_ENDPOINT_URL_CLOUDWATCH", e,
        "SURGE_SUBNETS", "subnet-0a1b2c3d,subnet-4e5f6a7b",
        "SURGE_SECURITY_GROUPS", "sg-0123456789abcdef0");
  }

  /** Matches a request for ECS operation {@code op}. */
  static MappingBuilder ecs(String op) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS_TARGET + op));
  }

  /** Matches a request for SQS operation {@code op}. */
  static MappingBuilder sqs(String op) {
    return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(SQS_TARGET + op));
  }

  /** Matches a request for CloudWatch operation {@code op}. */
  static MappingBuilder cloudWatch(String op) {
    return post(urlEqualTo(CLOUDWATCH_PATH + op));
  }

  /** An AWS JSON 1.1 answer. */
  static ResponseDefinitionBuilder json(Object body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-RequestId", "stub-request")
        .withBody(write(body));
  }

  /** An AWS JSON error answer. */
  static ResponseDefinitionBuilder jsonError(int status, String type, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("x-amzn-RequestId", "stub-request-err")
        .withBody(write(Map.of("__type", type, "message", message)));
  }

  /** A Smithy RPC v2 CBOR answer. */
  static ResponseDefinitionBuilder cbor(Object body) {
    try {
      return aResponse()
          .withStatus(200)
          .withHeader("Content-Type", "application/cbor")
          .withHeader("smithy-protocol", "rpc-v2-cbor")
          .withHeader("x-amzn-RequestId", "stub-request")
          .withBody(CBOR.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests received for ECS operation {@code op}, oldest first. */
  List<LoggedRequest> ecsRequests(String op) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS_TARGET + op)));
  }

  /** The JSON bodies of the requests received for ECS operation {@code op}, oldest first. */
  List<JsonNode> ecsBodies(String op) {
    return ecsRequests(op).stream().map(r -> read(r.getBodyAsString())).toList();
  }

  /** The requests received for CloudWatch operation {@code op}, oldest first. */
  List<LoggedRequest> cloudWatchRequests(String op) {
    return server.findAll(postRequestedFor(urlEqualTo(CLOUDWATCH_PATH + op)));
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readCbor(byte[] body) {
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

  @Override
  public void close() {
    server.stop();
  }
}
