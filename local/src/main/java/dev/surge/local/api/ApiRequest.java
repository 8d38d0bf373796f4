package dev.surge.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API call as the endpoint understood it: its protocol, the service (by its signing name, as in
 * the SigV4 credential scope: {@code monitoring}, {@code sns}, {@code sts}, {@code lambda}, {@code
 * ecs}, {@code logs}, {@code cloudformation}), the operation and its input as a tree. REST calls
 * (Lambda) keep their method and path; their operation is found by the service from them.
 *
 * @param protocol how it was sent, and so how it is answered
 * @param service the service's signing name; for an unrecognised call, what it could be told from
 * @param operation the operation's name; empty for a REST call until the service routes it
 * @param input the parameters: the JSON or CBOR body, the query protocol's form as a tree ({@code
 *     X.member.1} becomes an array), or a REST call's query string
 * @param method the HTTP method
 * @param path the request's decoded path
 * @param headers the request's headers, the first value of each, by name in any case
 * @param body the request's body as sent (a REST call's payload: Lambda's {@code Invoke})
 */
record ApiRequest(
    Protocol protocol,
    String service,
    String operation,
    JsonNode input,
    String method,
    String path,
    Map<String, String> headers,
    byte[] body) {

  /** The wire protocols of AWS's APIs that the endpoint speaks. */
  enum Protocol {
    /** AWS JSON 1.0: {@code X-Amz-Target}, a JSON body (CloudWatch from botocore). */
    JSON_1_0,
    /** AWS JSON 1.1 (ECS, CloudWatch Logs). */
    JSON_1_1,
    /** Smithy RPC v2 CBOR: {@code /service/<target>/operation/<op>} (CloudWatch from the SDK). */
    RPC_V2_CBOR,
    /** The query protocol: a form with {@code Action}, answered in XML (SNS, STS). */
    QUERY,
    /** REST-JSON: the operation in the method and path (Lambda). */
    REST_JSON
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR = new CBORMapper();
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]*/[^/]*/[^/]*/([^/]+)/");
  private static final Pattern CBOR_PATH =
      Pattern.compile("/service/([A-Za-z0-9_]+)/operation/([A-Za-z0-9_]+)");

  /** The services of the JSON and CBOR protocols, by the prefix of their targets. */
  static final Map<String, String> TARGETS =
      Map.of(
          "GraniteServiceVersion20100801", "monitoring",
          "AmazonEC2ContainerServiceV20141113", "ecs",
          "Logs_20140328", "logs");

  /** The query protocol's services by API version, for an unsigned form. */
  private static final Map<String, String> VERSIONS =
      Map.of(
          "2010-03-31", "sns",
          "2011-06-15", "sts",
          "2010-08-01", "monitoring",
          "2010-05-15", "cloudformation");

  /** Lambda's REST paths start with its API version. */
  static final String LAMBDA_PREFIX = "/2015-03-31/";

  ApiRequest {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  /** The header {@code name} (in any case), if the request has it. */
  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /**
   * The call {@code exchange} with {@code body} makes.
   *
   * @throws ApiException when its body cannot be read in its protocol
   */
  static ApiRequest parse(HttpExchange exchange, byte[] body) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Optional<String> signed =
        signingService(exchange.getRequestHeaders().getFirst("Authorization"));
    String type = Objects.toString(exchange.getRequestHeaders().getFirst("Content-Type"), "");
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String smithy = Objects.toString(exchange.getRequestHeaders().getFirst("smithy-protocol"), "");
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (name != null && !values.isEmpty()) {
                headers.put(name, values.get(0));
              }
            });

    Matcher cbor = CBOR_PATH.matcher(path);
    if (smithy.contains("rpc-v2-cbor") && cbor.matches()) {
      String service =
          signed.orElse(
              TARGETS.getOrDefault(cbor.group(1), cbor.group(1).toLowerCase(Locale.ROOT)));
      return new ApiRequest(
          Protocol.RPC_V2_CBOR,
          service,
          cbor.group(2),
          tree(CBOR, body),
          method,
          path,
          headers,
          body);
    }
    if (target != null) {
      int dot = target.indexOf('.');
      String prefix = dot < 0 ? target : target.substring(0, dot);
      String service = signed.orElse(TARGETS.getOrDefault(prefix, prefix.toLowerCase(Locale.ROOT)));
      Protocol protocol =
          type.contains("json-1.0") || "monitoring".equals(TARGETS.get(prefix))
              ? Protocol.JSON_1_0
              : Protocol.JSON_1_1;
      return new ApiRequest(
          protocol,
          service,
          dot < 0 ? "" : target.substring(dot + 1),
          tree(JSON, body),
          method,
          path,
          headers,
          body);
    }
    if (type.startsWith("application/x-www-form-urlencoded")
        || (rawQuery != null && rawQuery.contains("Action="))) {
      Map<String, String> form =
          form(
              type.startsWith("application/x-www-form-urlencoded")
                  ? new String(body, StandardCharsets.UTF_8)
                  : rawQuery);
      String version = form.getOrDefault("Version", "");
      String service = signed.orElse(VERSIONS.getOrDefault(version, ""));
      return new ApiRequest(
          Protocol.QUERY,
          service,
          form.getOrDefault("Action", ""),
          queryTree(form),
          method,
          path,
          headers,
          body);
    }
    String service = signed.orElse(path.startsWith(LAMBDA_PREFIX) ? "lambda" : "");
    return new ApiRequest(
        Protocol.REST_JSON, service, "", queryTree(form(rawQuery)), method, path, headers, body);
  }

  /** The service a SigV4 {@code Authorization} header was signed for, if it is signed. */
  static Optional<String> signingService(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    Matcher m = SCOPE.matcher(authorization);
    return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  private static JsonNode tree(ObjectMapper mapper, byte[] body) {
    if (body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      JsonNode node = mapper.readTree(body);
      return node == null || node.isMissingNode() ? JsonNodeFactory.instance.objectNode() : node;
    } catch (IOException e) {
      throw ApiException.invalid("SerializationException", "the request's body cannot be read");
    }
  }

  /** {@code a=b&c=d}, decoded; a name given twice keeps its last value. */
  static Map<String, String> form(String text) {
    Map<String, String> form = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return form;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      form.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  /**
   * The query protocol's flattened names as a tree: {@code A.B=1} is {@code {"A":{"B":"1"}}}, and
   * {@code A.member.2.Name=x} the second element of array {@code A}. Every leaf is a string.
   */
  static JsonNode queryTree(Map<String, String> form) {
    Map<String, Object> root = new TreeMap<>();
    for (Map.Entry<String, String> e : form.entrySet()) {
      if (e.getKey().equals("Action") || e.getKey().equals("Version")) {
        continue;
      }
      String[] parts = e.getKey().split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> next =
            (Map<String, Object>)
                node.computeIfAbsent(parts[i], k -> new TreeMap<String, Object>());
        node = next;
      }
      node.put(parts[parts.length - 1], e.getValue());
    }
    return node(root);
  }

  private static JsonNode node(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return JsonNodeFactory.instance.textNode(value.toString());
    }
    if (map.size() == 1 && map.containsKey("member") && map.get("member") instanceof Map<?, ?> m) {
      // member.<n>: a list, in the order of n
      ArrayNode list = JsonNodeFactory.instance.arrayNode();
      new TreeMap<Integer, Object>(indexed(m)).values().forEach(v -> list.add(node(v)));
      return list;
    }
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    map.forEach((k, v) -> object.set(k.toString(), node(v)));
    return object;
  }

  private static Map<Integer, Object> indexed(Map<?, ?> members) {
    Map<Integer, Object> byIndex = new TreeMap<>();
    members.forEach(
        (k, v) -> {
          try {
            byIndex.put(Integer.parseInt(k.toString()), v);
          } catch (NumberFormatException e) {
            throw ApiException.invalid(
                "MalformedQueryString", "'member." + k + "' is not a list element");
          }
        });
    return byIndex;
  }

  /** A copy that names the operation a REST call routes to. */
  ApiRequest withOperation(String name) {
    return new ApiRequest(protocol, service, name, input, method, path, headers, body);
  }
}
