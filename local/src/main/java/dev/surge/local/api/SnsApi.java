package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.SnsEnvelope;
import dev.surge.local.topic.Subscription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * SNS over the local topics: the chain's topic and those made with {@code CreateTopic}, their
 * attributes and subscriptions, and the writes: {@code CreateTopic}, {@code Subscribe} (the local
 * function, protocol {@code lambda}) and {@code Publish}, whose message each subscribed function
 * gets as SNS's event, the path the alarm's notification takes. Each subscription is a function's
 * ({@link Subscription#name()} is the function's name), listed as SNS lists a {@code lambda}
 * subscription: the function's ARN as its endpoint.
 */
final class SnsApi implements Service {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalChain chain;

  SnsApi(LocalChain chain) {
    this.chain = chain;
  }

  @Override
  public String signingName() {
    return "sns";
  }

  @Override
  public String title() {
    return "SNS";
  }

  @Override
  public List<String> operations() {
    return List.of(
        "ListTopics",
        "GetTopicAttributes",
        "ListSubscriptions",
        "ListSubscriptionsByTopic",
        "CreateTopic",
        "Subscribe",
        "Publish");
  }

  @Override
  public String xmlNamespace() {
    return "http://sns.amazonaws.com/doc/2010-03-31/";
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    return switch (request.operation()) {
      case "ListTopics" ->
          struct(
              "Topics",
              chain.topics().all().stream()
                  .map(t -> (Object) struct("TopicArn", t.arn()))
                  .toList());
      case "GetTopicAttributes" -> struct("Attributes", attributes(topic(in, "TopicArn")));
      case "ListSubscriptions" -> {
        List<Object> all = new ArrayList<>();
        chain.topics().all().forEach(t -> all.addAll(subscriptions(t)));
        yield struct("Subscriptions", all);
      }
      case "ListSubscriptionsByTopic" ->
          struct("Subscriptions", subscriptions(topic(in, "TopicArn")));
      case "CreateTopic" -> createTopic(in);
      case "Subscribe" -> subscribe(in);
      case "Publish" -> publish(in);
      default -> throw new IllegalStateException(request.operation());
    };
  }

  // --- writes ------------------------------------------------------------------------------------

  /** {@code CreateTopic}: the topic of that name, made with no subscriptions unless it exists. */
  private Map<String, Object> createTopic(JsonNode in) {
    String name = Params.required(in, "Name", "InvalidParameter");
    if (name.endsWith(".fifo") || "true".equalsIgnoreCase(map(in, "Attributes").get("FifoTopic"))) {
      throw invalidParameter("FIFO topics are not served by the local cloud");
    }
    if (!map(in, "Attributes").isEmpty()) {
      throw invalidParameter(
          "Attributes: the local cloud's topics take none (display names, policies, delivery"
              + " policies and encryption are not served); leave them out");
    }
    if (in.hasNonNull("DataProtectionPolicy")) {
      throw invalidParameter("DataProtectionPolicy is not served by the local cloud");
    }
    try {
      return struct("TopicArn", chain.topics().create(name).arn());
    } catch (IllegalArgumentException e) {
      throw invalidParameter("Topic Name (1-256 letters, digits, hyphens or underscores)");
    }
  }

  /** {@code Subscribe}: the local function, protocol {@code lambda}; once per topic. */
  private Map<String, Object> subscribe(JsonNode in) {
    LocalTopic topic = topic(in, "TopicArn");
    String protocol = Params.required(in, "Protocol", "InvalidParameter");
    if (!protocol.equals("lambda")) {
      throw invalidParameter(
          "Protocol '"
              + protocol
              + "': the local cloud's topics deliver to its function only (protocol lambda)");
    }
    String endpoint = Params.required(in, "Endpoint", "InvalidParameter");
    String function = chain.functionArn();
    if (!endpoint.equals(function)) {
      throw invalidParameter(
          "Endpoint '"
              + endpoint
              + "' is not a function of the local cloud, whose function is "
              + function);
    }
    if (!map(in, "Attributes").isEmpty()) {
      throw invalidParameter(
          "Attributes: the local cloud's subscriptions take none (filter policies, redrive"
              + " policies and raw delivery are not served); leave them out");
    }
    Subscription s = topic.subscribeOnce(chain.function().config().name(), chain.function());
    return struct("SubscriptionArn", s.arn());
  }

  /**
   * {@code Publish} to a topic: each subscribed function gets the message in SNS's event, as the
   * alarm's notification reaches it.
   */
  private Map<String, Object> publish(JsonNode in) {
    if (Params.text(in, "PhoneNumber").isPresent()) {
      throw invalidParameter("PhoneNumber: SMS is not served by the local cloud; give a TopicArn");
    }
    Optional<String> arn = Params.text(in, "TopicArn").or(() -> Params.text(in, "TargetArn"));
    if (arn.isEmpty()) {
      throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
    }
    LocalTopic topic =
        chain
            .topics()
            .byArn(arn.get())
            .orElseThrow(() -> new ApiException("NotFound", "Topic does not exist", 404));
    String message =
        Params.text(in, "Message")
            .orElseThrow(
                () ->
                    new ApiException(
                        "ValidationError",
                        "1 validation error detected: Value null at 'message' failed to satisfy"
                            + " constraint: Member must not be null",
                        400));
    Optional<String> structure = Params.text(in, "MessageStructure");
    if (structure.isPresent()) {
      if (!structure.get().equals("json")) {
        throw invalidParameter("MessageStructure must be json, was '" + structure.get() + "'");
      }
      message = forLambda(message);
    }
    if (Params.text(in, "MessageGroupId").isPresent()
        || Params.text(in, "MessageDeduplicationId").isPresent()) {
      throw invalidParameter(
          "The request includes MessageGroupId or MessageDeduplicationId, which are for FIFO"
              + " topics only");
    }
    Map<String, SnsEnvelope.Attribute> attributes = messageAttributes(in);
    String subject = Params.text(in, "Subject").orElse(null);
    try {
      return struct("MessageId", topic.publish(subject, message, attributes));
    } catch (IllegalArgumentException e) {
      throw new ApiException("InvalidParameter", e.getMessage(), 400);
    } catch (IllegalStateException e) {
      throw new ApiException("InternalError", "the local cloud is stopping", 500);
    }
  }

  /** A JSON {@code MessageStructure}'s message for a function: its {@code lambda} or default. */
  private static String forLambda(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (root == null || !root.isObject()) {
      throw invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (!root.has("default")) {
      throw invalidParameter("Message Structure - No default entry in JSON message body");
    }
    JsonNode chosen = root.has("lambda") ? root.get("lambda") : root.get("default");
    if (!chosen.isTextual()) {
      throw invalidParameter("Message Structure - each entry's message must be a string");
    }
    return chosen.asText();
  }

  /**
   * {@code MessageAttributes}: the query protocol's {@code MessageAttributes.entry.N.Name} and
   * {@code .Value.DataType}, {@code .StringValue} or {@code .BinaryValue} (Base64).
   */
  static Map<String, SnsEnvelope.Attribute> messageAttributes(JsonNode in) {
    Map<String, SnsEnvelope.Attribute> out = new LinkedHashMap<>();
    for (JsonNode e : entries(in.path("MessageAttributes"))) {
      String name = e.path("Name").asText("");
      JsonNode value = e.path("Value");
      String type = value.path("DataType").asText("");
      if (name.isEmpty() || type.isEmpty()) {
        throw invalidParameter("MessageAttributes: each needs a Name and a Value's DataType");
      }
      boolean binary = type.equals("Binary") || type.startsWith("Binary.");
      if (!binary
          && !(type.equals("String")
              || type.startsWith("String.")
              || type.equals("Number")
              || type.startsWith("Number."))) {
        throw invalidParameter(
            "The message attribute '"
                + name
                + "' has an invalid message attribute type, the set of supported type prefixes is"
                + " Binary, Number, and String.");
      }
      String text = value.path(binary ? "BinaryValue" : "StringValue").asText("");
      if (text.isEmpty()) {
        throw invalidParameter(
            "The message attribute '" + name + "' must contain non-empty message attribute value");
      }
      out.put(name, new SnsEnvelope.Attribute(type, text));
    }
    return out;
  }

  /** The entries of a query protocol map ({@code X.entry.N.key}), in the order of N. */
  private static List<JsonNode> entries(JsonNode map) {
    JsonNode entry = map.path("entry");
    List<JsonNode> out = new ArrayList<>();
    if (entry.isObject()) {
      Map<Integer, JsonNode> byIndex = new TreeMap<>();
      for (Map.Entry<String, JsonNode> f : entry.properties()) {
        try {
          byIndex.put(Integer.parseInt(f.getKey()), f.getValue());
        } catch (NumberFormatException e) {
          throw ApiException.invalid(
              "MalformedQueryString", "'entry." + f.getKey() + "' is not a map entry");
        }
      }
      out.addAll(byIndex.values());
    }
    return out;
  }

  /** A query protocol map of strings ({@code X.entry.N.key}, {@code .value}). */
  static Map<String, String> map(JsonNode in, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode e : entries(in.path(name))) {
      out.put(e.path("key").asText(""), e.path("value").asText(""));
    }
    return out;
  }

  private static ApiException invalidParameter(String what) {
    return new ApiException("InvalidParameter", "Invalid parameter: " + what, 400);
  }

  // --- reads -------------------------------------------------------------------------------------

  /** The topic the parameter {@code name} names: one of the local topics. */
  private LocalTopic topic(JsonNode in, String name) {
    String arn = Params.required(in, name, "InvalidParameter");
    return chain
        .topics()
        .byArn(arn)
        .orElseThrow(() -> new ApiException("NotFound", "Topic does not exist", 404));
  }

  private Wire.Entries attributes(LocalTopic topic) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("Policy", policy(topic));
    a.put("Owner", chain.account());
    a.put("SubscriptionsPending", "0");
    a.put("TopicArn", topic.arn());
    a.put("EffectiveDeliveryPolicy", DELIVERY_POLICY);
    a.put("SubscriptionsConfirmed", Integer.toString(topic.subscriptions().size()));
    a.put("DisplayName", "");
    a.put("SubscriptionsDeleted", "0");
    return new Wire.Entries(a);
  }

  private List<Object> subscriptions(LocalTopic topic) {
    List<Object> out = new ArrayList<>();
    for (Subscription s : topic.subscriptions()) {
      out.add(
          struct(
              "SubscriptionArn", s.arn(),
              "Owner", chain.account(),
              "Protocol", "lambda",
              "Endpoint", chain.arn("lambda", "function:" + s.name()),
              "TopicArn", topic.arn()));
    }
    return out;
  }

  /** SNS's default access policy of a new topic: the owner account may do everything. */
  private String policy(LocalTopic topic) {
    return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
        + "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
        + "[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\","
        + "\"SNS:RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\","
        + "\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],\"Resource\":\""
        + topic.arn()
        + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\""
        + chain.account()
        + "\"}}}]}";
  }

  /** SNS's default delivery policy, as GetTopicAttributes reports it for a new topic. */
  private static final String DELIVERY_POLICY =
      "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,"
          + "\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
          + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},"
          + "\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":"
          + "\"text/plain; charset=UTF-8\"}}}";
}
