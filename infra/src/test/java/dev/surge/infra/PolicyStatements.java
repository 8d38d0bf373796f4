package dev.surge.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.IRole;

/** Reads IAM statements out of a synthesized template, normalised to lists. */
final class PolicyStatements {

  /**
   * One Allow or Deny statement.
   *
   * @param actions its actions
   * @param resources its resources, as they appear in the template (strings or intrinsics)
   * @param condition its condition block, or an empty map
   * @param sid its statement id, or {@code ""}
   */
  record Statement(
      List<String> actions, List<Object> resources, Map<String, Object> condition, String sid) {}

  private PolicyStatements() {}

  /** Every statement of every identity policy in the template (policies and inline role ones). */
  static List<Statement> all(Template template) {
    List<Statement> out = new ArrayList<>();
    for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
      out.addAll(statements(props(policy).get("PolicyDocument")));
    }
    for (Map<String, Object> role : template.findResources("AWS::IAM::Role").values()) {
      Object inline = props(role).get("Policies");
      if (inline instanceof List<?> policies) {
        for (Object p : policies) {
          out.addAll(statements(((Map<?, ?>) p).get("PolicyDocument")));
        }
      }
    }
    return out;
  }

  /** The statements of the policies attached to {@code role}. */
  static List<Statement> of(Template template, Stack stack, IRole role) {
    String logicalId = stack.getLogicalId((CfnElement) role.getNode().getDefaultChild());
    Map<String, String> ref = Map.of("Ref", logicalId);
    List<Statement> out = new ArrayList<>();
    for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
      List<?> roles = (List<?>) props(policy).get("Roles");
      if (roles.contains(ref)) {
        out.addAll(statements(props(policy).get("PolicyDocument")));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> props(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  @SuppressWarnings("unchecked")
  private static List<Statement> statements(Object document) {
    List<Statement> out = new ArrayList<>();
    for (Object s : (List<?>) ((Map<?, ?>) document).get("Statement")) {
      Map<String, Object> st = (Map<String, Object>) s;
      Object condition = st.getOrDefault("Condition", Map.of());
      out.add(
          new Statement(
              asList(st.get("Action")).stream().map(Object::toString).toList(),
              asList(st.get("Resource")),
              (Map<String, Object>) condition,
              (String) st.getOrDefault("Sid", "")));
    }
    return out;
  }

  private static List<Object> asList(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
  }
}
