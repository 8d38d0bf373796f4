package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Turning the output map into typed values, without a network. */
class StackOutputsTest {

  private static StackOutputs of(Map<String, String> outputs) {
    return StackOutputs.of("Surge", "eu-west-1", "CREATE_COMPLETE", outputs);
  }

  @Test
  void listsAreSplitAtCommasAndTrimmed() {
    Map<String, String> o = StackOutputsFixture.deployedOutputs();
    o.put("Subnets", " subnet-a , subnet-b,,subnet-c ");
    o.put("SecurityGroup", "sg-1, sg-2");
    o.put("AssignPublicIp", "disabled");

    StackOutputs s = of(o);

    assertThat(s.subnets()).containsExactly("subnet-a", "subnet-b", "subnet-c");
    assertThat(s.securityGroups()).containsExactly("sg-1", "sg-2");
    assertThat(s.assignPublicIp()).isFalse();
    assertThat(s.toEcsSettings().assignPublicIp()).isFalse();
  }

  @Test
  void aBlankOutputCountsAsMissing() {
    Map<String, String> o = StackOutputsFixture.deployedOutputs();
    o.put("TableName", " ");

    assertThatThrownBy(() -> of(o))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lacks output(s) TableName;");
  }

  @Test
  void anAssignPublicIpOtherThanEnabledOrDisabledIsRejected() {
    Map<String, String> o = StackOutputsFixture.deployedOutputs();
    o.put("AssignPublicIp", "yes");

    assertThatThrownBy(() -> of(o))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AssignPublicIp is 'YES', not ENABLED or DISABLED");
  }

  @Test
  void theStackNameIsThePrefixBeforeSurge() {
    assertThat(StackOutputs.stackName("")).isEqualTo("Surge");
    assertThat(StackOutputs.stackName("Demo")).isEqualTo("DemoSurge");
  }

  @Test
  void withoutAPrefixTheStackIsSurge() {
    // `surge status --target aws` without --prefix passes null.
    assertThat(StackOutputs.stackName(null)).isEqualTo("Surge");
  }

  @Test
  void accountIdsAreHiddenFromArnsUrlsAndRepositoryHosts() {
    assertThat(Redaction.withoutAccount("arn:aws:sns:us-east-1:123456789012:fasttrack-saa"))
        .isEqualTo("arn:aws:sns:us-east-1:<account>:fasttrack-saa");
    assertThat(Redaction.withoutAccount("https://sqs.us-east-1.amazonaws.com/123456789012/q"))
        .isEqualTo("https://sqs.us-east-1.amazonaws.com/<account>/q");
    assertThat(Redaction.withoutAccount("123456789012.dkr.ecr.us-east-1.amazonaws.com/r"))
        .isEqualTo("<account>.dkr.ecr.us-east-1.amazonaws.com/r");
    // Longer digit runs (a task id, a timestamp) are not account ids.
    assertThat(Redaction.withoutAccount("task 1234567890123")).isEqualTo("task 1234567890123");
  }
}
