package dev.surge.infra;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default network: a new VPC with public subnets only and no NAT gateway. */
class NetworkTest {
  private static Template template;

  @BeforeAll
  static void synthesize() {
    template = Synthesized.defaultTemplate();
  }

  @Test
  void aNewVpcIsCreated() {
    template.resourceCountIs("AWS::EC2::VPC", 1);
  }

  @Test
  void thereIsNoNatGateway() {
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::EIP", 0);
  }

  @Test
  void thereAreTwoSubnetsAndBothArePublic() {
    template.resourceCountIs("AWS::EC2::Subnet", 2);
    template.allResourcesProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", true));
    template.resourceCountIs("AWS::EC2::InternetGateway", 1);
  }

  @Test
  void taskSecurityGroupAllowsNoInboundTraffic() {
    template.resourceCountIs("AWS::EC2::SecurityGroup", 1);
    template.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Map.of("GroupName", "fasttrack-saa-ecs-task-sg", "SecurityGroupIngress", Match.absent()));
    template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
  }
}
