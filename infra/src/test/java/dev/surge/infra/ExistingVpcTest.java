package dev.surge.infra;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** A stack placed in an existing VPC, subnets and security group given by id. */
class ExistingVpcTest {
  private static Template template;

  @BeforeAll
  static void synthesize() {
    template = Synthesized.existingVpcTemplate();
  }

  @Test
  void noNetworkResourceIsCreated() {
    template.resourceCountIs("AWS::EC2::VPC", 0);
    template.resourceCountIs("AWS::EC2::Subnet", 0);
    template.resourceCountIs("AWS::EC2::InternetGateway", 0);
    template.resourceCountIs("AWS::EC2::SecurityGroup", 0);
  }

  @Test
  void tasksRunInTheGivenSubnetsAndSecurityGroup() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of(
                "Variables",
                Map.of(
                    "SURGE_SUBNETS",
                    String.join(",", Synthesized.SUBNET_IDS),
                    "SURGE_SECURITY_GROUPS",
                    Synthesized.SECURITY_GROUP_ID,
                    "SURGE_ASSIGN_PUBLIC_IP",
                    "DISABLED"))));
  }

  @Test
  void outputsNameTheGivenSubnetsAndSecurityGroup() {
    template.hasOutput("Subnets", Map.of("Value", String.join(",", Synthesized.SUBNET_IDS)));
    template.hasOutput("SecurityGroup", Map.of("Value", Synthesized.SECURITY_GROUP_ID));
  }
}
