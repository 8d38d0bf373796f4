package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.sun.net.httpserver.HttpExchange;
import dev.surge.local.api.ApiRequest.Protocol;
import dev.surge.standins.AwsEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS APIs of the local chain behind the one endpoint (everything but SQS and DynamoDB, which
 * the endpoint relays to the stand-ins): CloudWatch, SNS, STS, Lambda, ECS, CloudWatch Logs and
 * CloudFormation (the stack the local chain stands for, read-only), each in the protocols its
 * clients speak. CloudWatch, SNS, Lambda and ECS also take the writes of the chain (alarms and
 * their state, topics, subscriptions, publishing, invoking the function, task definitions and
 * tasks); CloudWatch Logs is read-only. The AWS SDK for Java v2 (2.57) calls CloudWatch in Smithy
 * RPC v2 CBOR and botocore 1.43 (the aws CLI v1, boto3) in AWS JSON 1.0; SNS, STS and
 * CloudFormation are called in the query protocol, ECS and CloudWatch Logs in AWS JSON 1.1, Lambda
 * in REST-JSON. A call the endpoint does not serve gets one error in the service's own format that
 * names what it does serve.
 */
public final class AwsApi implements AwsEndpoint.Services {
  private static final Logger log = LoggerFactory.getLogger(AwsApi.class);

  /** Services of the REST-XML protocol, whose clients read XML errors only. */
  private static final Set<String> REST_XML = Set.of("s3", "cloudfront", "route53");

  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** The APIs over {@code chain}. */
  public AwsApi(LocalChain chain) {
    for (Service s :
        List.of(
            new CloudWatchApi(chain),
            new SnsApi(chain),
            new StsApi(chain),
            new LambdaApi(chain),
            new EcsApi(chain),
            new LogsApi(chain),
            new CloudFormationApi(chain))) {
      services.put(s.signingName(), s);
    }
  }

  @Override
  public void serve(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange) {
      String requestId = UUID.randomUUID().toString();
      ApiRequest request;
      try {
        request = ApiRequest.parse(exchange, body);
      } catch (ApiException e) {
        error(exchange, Protocol.JSON_1_1, null, e, requestId);
        return;
      }
      Service service = services.get(request.service());
      if (service == null) {
        ApiException e = notServed(request);
        if (request.protocol() == Protocol.REST_JSON && REST_XML.contains(request.service())) {
          send(
              exchange,
              e.status(),
              "application/xml",
              Wire.restXmlError(e.code(), e.getMessage(), requestId),
              requestId);
        } else {
          error(exchange, request.protocol(), null, e, requestId);
        }
        return;
      }
      request = service.route(request);
      if (!service.operations().contains(request.operation())) {
        error(exchange, request.protocol(), service, notServed(service, request), requestId);
        return;
      }
      Object answer;
      try {
        answer = service.call(request);
      } catch (ApiException e) {
        error(exchange, request.protocol(), service, e, requestId);
        return;
      } catch (RuntimeException e) {
        log.error("{} {} failed", service.title(), request.operation(), e);
        ApiException internal =
            new ApiException("InternalFailure", "the local cloud failed: " + e, 500);
        error(exchange, request.protocol(), service, internal, requestId);
        return;
      }
      answer(exchange, request, service, answer, requestId);
    }
  }

  private void answer(
      HttpExchange exchange, ApiRequest request, Service service, Object answer, String requestId)
      throws IOException {
    if (answer instanceof Wire.Raw raw) {
      raw.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      send(
          exchange, raw.status(), raw.contentType(), raw.body(), raw.requestId().orElse(requestId));
      return;
    }
    switch (request.protocol()) {
      case JSON_1_0 ->
          send(exchange, 200, "application/x-amz-json-1.0", Wire.json(answer), requestId);
      case JSON_1_1 ->
          send(exchange, 200, "application/x-amz-json-1.1", Wire.json(answer), requestId);
      case REST_JSON -> send(exchange, 200, "application/json", Wire.json(answer), requestId);
      case RPC_V2_CBOR -> {
        exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        send(exchange, 200, "application/cbor", Wire.cbor(answer), requestId);
      }
      case QUERY ->
          send(
              exchange,
              200,
              "text/xml",
              Wire.xml(request.operation(), service.xmlNamespace(), answer, requestId),
              requestId);
    }
  }

  private static void error(
      HttpExchange exchange, Protocol protocol, Service service, ApiException e, String requestId)
      throws IOException {
    var headers = exchange.getResponseHeaders();
    boolean compatible = service != null && service.queryCompatible();
    if (compatible) {
      headers.set("x-amzn-query-error", e.queryCode() + ";Sender");
    }
    switch (protocol) {
      case QUERY -> {
        String ns = service == null ? "" : service.xmlNamespace();
        send(
            exchange,
            e.status(),
            "text/xml",
            Wire.xmlError(ns, e.queryCode(), e.getMessage(), requestId),
            requestId);
      }
      case RPC_V2_CBOR -> {
        headers.set("smithy-protocol", "rpc-v2-cbor");
        send(
            exchange,
            e.status(),
            "application/cbor",
            Wire.cbor(struct("__type", e.code(), "message", e.getMessage())),
            requestId);
      }
      case REST_JSON -> {
        headers.set("x-amzn-ErrorType", e.code());
        send(
            exchange,
            e.status(),
            "application/json",
            Wire.json(struct("Type", "User", "message", e.getMessage())),
            requestId);
      }
      case JSON_1_0, JSON_1_1 -> {
        headers.set("x-amzn-ErrorType", e.code());
        String type =
            protocol == Protocol.JSON_1_0
                ? "application/x-amz-json-1.0"
                : "application/x-amz-json-1.1";
        send(
            exchange,
            e.status(),
            type,
            Wire.json(struct("__type", e.code(), "message", e.getMessage())),
            requestId);
      }
    }
  }

  /** A call for a service the local cloud does not serve. */
  private ApiException notServed(ApiRequest r) {
    String what = r.service().isEmpty() ? "this request's service" : "'" + r.service() + "'";
    String message =
        what
            + " is not served by the local cloud: this endpoint serves SQS, DynamoDB, "
            + String.join(", ", services.values().stream().map(Service::title).toList())
            + " (see docs/local-cloud.md, \"The one AWS endpoint\")";
    warnOnce(r.service(), message);
    return unknown(r.protocol(), message);
  }

  /** A call for an operation the service does not serve (yet). */
  private ApiException notServed(Service s, ApiRequest r) {
    String op = r.operation().isEmpty() ? "this operation" : "'" + r.operation() + "'";
    String message =
        op
            + " is not served by the local cloud's "
            + s.title()
            + ", which serves "
            + String.join(", ", s.operations())
            + (s.readOnly() ? " (read-only for now)" : "");
    warnOnce(s.signingName() + " " + r.operation(), message);
    return unknown(r.protocol(), message);
  }

  private static ApiException unknown(Protocol protocol, String message) {
    // The query protocol's services answer an unknown action with InvalidAction.
    return protocol == Protocol.QUERY
        ? new ApiException("InvalidAction", message, 400)
        : new ApiException("UnknownOperationException", message, 400);
  }

  private void warnOnce(String key, String message) {
    if (warned.add(key)) {
      log.warn("refused a call at the AWS endpoint: {}", message);
    }
  }

  private static void send(
      HttpExchange exchange, int status, String type, byte[] body, String requestId)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }
}
