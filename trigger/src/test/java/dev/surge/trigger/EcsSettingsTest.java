package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcsSettingsTest {
  @Test
  void theSeedsNamesAreTheDefaultsAndOnlyTheSubnetsAreRequired() {
    EcsSettings s =
        EcsSettings.fromEnvironment(new Env(Map.of("SURGE_SUBNETS", " subnet-1 , subnet-2,")));

    assertThat(s.cluster()).isEqualTo("FastTrack-Saa-Sqs-demo");
    assertThat(s.taskDefinition()).isEqualTo("fasttrack-saa-td");
    assertThat(s.container()).isEqualTo("fasttrack-saa");
    assertThat(s.subnets()).containsExactly("subnet-1", "subnet-2");
    assertThat(s.securityGroups()).isEmpty();
    assertThat(s.assignPublicIp()).isTrue();
    assertThat(s.startedBy()).isEqualTo("surge");
  }

  @Test
  void everyVariableIsRead() {
    EcsSettings s =
        EcsSettings.fromEnvironment(
            new Env(
                Map.of(
                    "SURGE_CLUSTER", "c",
                    "SURGE_TASK_DEFINITION",
                        "arn:aws:ecs:us-east-1:123456789012:task-definition/f:3",
                    "SURGE_CONTAINER", "w",
                    "SURGE_SUBNETS", "subnet-1",
                    "SURGE_SECURITY_GROUPS", "sg-1,sg-2",
                    "SURGE_ASSIGN_PUBLIC_IP", "disabled",
                    "SURGE_STARTED_BY", "surge-demo")));

    assertThat(s)
        .isEqualTo(
            new EcsSettings(
                "c",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/f:3",
                "w",
                java.util.List.of("subnet-1"),
                java.util.List.of("sg-1", "sg-2"),
                false,
                "surge-demo"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SURGE_SUBNETS| , |SURGE_SUBNETS is not set",
        "SURGE_ASSIGN_PUBLIC_IP|maybe|SURGE_ASSIGN_PUBLIC_IP='MAYBE' is not valid",
        "SURGE_STARTED_BY|has spaces|SURGE_STARTED_BY='has spaces' is not valid",
        "SURGE_SECURITY_GROUPS|a,b,c,d,e,f|SURGE_SECURITY_GROUPS names 6 security groups",
      })
  void badValuesNameTheVariable(String name, String value, String message) {
    Map<String, String> env =
        name.equals("SURGE_SUBNETS")
            ? Map.of(name, value)
            : Map.of("SURGE_SUBNETS", "subnet-1", name, value);

    assertThatThrownBy(() -> EcsSettings.fromEnvironment(new Env(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
