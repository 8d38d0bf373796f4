package dev.surge.local.api;

import static dev.surge.local.api.Wire.struct;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SNS over the local topic: the topic, its attributes, and its subscriptions. Each subscription is
 * a function's ({@link Subscription#name()} is the function's name), listed as SNS lists a {@code
 * lambda} subscription: the function's ARN as its endpoint.
 */
final class SnsApi implements Service {
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
        "ListTopics", "GetTopicAttributes", "ListSubscriptions", "ListSubscriptionsByTopic");
  }

  @Override
  public String xmlNamespace() {
    return "http://sns.amazonaws.com/doc/2010-03-31/";
  }

  @Override
  public Object call(ApiRequest request) {
    JsonNode in = request.input();
    LocalTopic topic = chain.topic();
    return switch (request.operation()) {
      case "ListTopics" -> struct("Topics", List.of(struct("TopicArn", topic.arn())));
      case "GetTopicAttributes" -> struct("Attributes", attributes(topic(in)));
      case "ListSubscriptions" -> struct("Subscriptions", subscriptions(topic));
      case "ListSubscriptionsByTopic" -> struct("Subscriptions", subscriptions(topic(in)));
      default -> throw new IllegalStateException(request.operation());
    };
  }

  /** The topic {@code TopicArn} names, which must be the local one. */
  private LocalTopic topic(JsonNode in) {
    String arn = Params.required(in, "TopicArn", "InvalidParameter");
    if (!arn.equals(chain.topic().arn())) {
      throw new ApiException("NotFound", "Topic does not exist", 404);
    }
    return chain.topic();
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
