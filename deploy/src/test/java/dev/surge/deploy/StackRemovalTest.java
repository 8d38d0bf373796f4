package dev.surge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

class StackRemovalTest {
  @Test
  void theDeployRoleIsTheBootstrapsInTheCallersPartitionAccountAndRegion() {
    GetCallerIdentityResponse caller =
        GetCallerIdentityResponse.builder()
            .account("123456789012")
            .arn("arn:aws-cn:iam::123456789012:user/deployer")
            .build();
    assertThat(StackRemoval.deployRole(caller, "cn-north-1"))
        .isEqualTo(
            "arn:aws-cn:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-cn-north-1");
  }
}
