package dev.surge.infra;

import java.util.List;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.constructs.Construct;

/** The VPC, subnets and security group the worker tasks run in. */
final class Network extends Construct {
  private final IVpc vpc;
  private final List<String> subnetIds;
  private final ISecurityGroup securityGroup;
  private final boolean assignPublicIp;

  Network(Construct scope, String id, NetworkProps props, String securityGroupName) {
    super(scope, id);
    this.assignPublicIp = props.assignPublicIp();
    if (props instanceof NetworkProps.ExistingVpc existing) {
      // fromVpcAttributes, never fromLookup: synthesis must not need AWS credentials.
      this.vpc =
          Vpc.fromVpcAttributes(
              this,
              "Vpc",
              VpcAttributes.builder()
                  .vpcId(existing.vpcId())
                  .availabilityZones(existing.availabilityZones())
                  .publicSubnetIds(existing.subnetIds())
                  .build());
      this.subnetIds = existing.subnetIds();
      this.securityGroup =
          existing.securityGroupId().isPresent()
              ? SecurityGroup.fromSecurityGroupId(
                  this, "TaskSecurityGroup", existing.securityGroupId().get())
              : newSecurityGroup(securityGroupName);
    } else {
      this.vpc = newVpc((NetworkProps.NewVpc) props);
      this.subnetIds =
          vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
              .getSubnetIds();
      this.securityGroup = newSecurityGroup(securityGroupName);
    }
  }

  private IVpc newVpc(NetworkProps.NewVpc props) {
    return Vpc.Builder.create(this, "Vpc")
        .maxAzs(props.maxAzs())
        // No NAT gateway (about 32 USD a month each, idle or not): tasks use public IPs instead.
        .natGateways(0)
        .subnetConfiguration(
            List.of(
                SubnetConfiguration.builder()
                    .name("public")
                    .subnetType(SubnetType.PUBLIC)
                    .cidrMask(24)
                    .build()))
        // Restricting the unused default group would add a custom-resource function to the stack.
        .restrictDefaultSecurityGroup(false)
        .build();
  }

  private SecurityGroup newSecurityGroup(String name) {
    // No inbound rule: a worker only calls out (SQS, DynamoDB, ECR, CloudWatch Logs).
    return new SecurityGroup(
        this,
        "TaskSecurityGroup",
        SecurityGroupProps.builder()
            .vpc(vpc)
            .securityGroupName(name)
            .description("Surge worker tasks: no inbound traffic, all outbound")
            .allowAllOutbound(true)
            .build());
  }

  IVpc vpc() {
    return vpc;
  }

  /** The subnet ids, comma-separated (a token for a new VPC). */
  String subnetList() {
    return Fn.join(",", subnetIds);
  }

  ISecurityGroup securityGroup() {
    return securityGroup;
  }

  /** {@code ENABLED} or {@code DISABLED}, as ECS's {@code assignPublicIp} takes it. */
  String assignPublicIp() {
    return assignPublicIp ? "ENABLED" : "DISABLED";
  }
}
