package dev.surge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsTargetTest {
  @Test
  void localWithoutVariablesUsesTheStandInPortsAndDummyCredentials() {
    AwsTarget t = AwsTarget.local(new Env(Map.of()));
    assertThat(t.endpoint("SQS")).contains(URI.create("http://127.0.0.1:9324"));
    assertThat(t.endpoint("DYNAMODB")).contains(URI.create("http://127.0.0.1:8000"));
    assertThat(t.region()).isEqualTo("us-east-1");
    assertThat(t.dummyCredentials()).isTrue();
  }

  @Test
  void standardVariablesWinOverLocalDefaults() {
    AwsTarget t =
        AwsTarget.local(
            new Env(
                Map.of(
                    "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:19324",
                    "AWS_REGION", "eu-west-1",
                    "AWS_ACCESS_KEY_ID", "AKIA")));
    assertThat(t.endpoint("SQS")).contains(URI.create("http://127.0.0.1:19324"));
    assertThat(t.endpoint("DYNAMODB")).contains(URI.create("http://127.0.0.1:8000"));
    assertThat(t.region()).isEqualTo("eu-west-1");
    assertThat(t.dummyCredentials()).isFalse();
  }

  @Test
  void globalEndpointAppliesToEveryServiceWithoutItsOwn() {
    AwsTarget t = AwsTarget.local(new Env(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")));
    assertThat(t.endpoint("SQS")).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(t.endpoint("ECS")).contains(URI.create("http://127.0.0.1:4566"));
  }

  @Test
  void awsTargetHasNoOverridesUnlessSet() {
    AwsTarget t = AwsTarget.aws(new Env(Map.of("AWS_REGION", "us-east-1")));
    assertThat(t.endpoint("SQS")).isEmpty();
    assertThat(t.dummyCredentials()).isFalse();
  }

  @Test
  void environmentRoundTripsForChildProcesses() {
    AwsTarget t =
        AwsTarget.local(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"));
    AwsTarget child = AwsTarget.local(new Env(t.toEnvironment()));
    assertThat(child).isEqualTo(t);
  }

  @Test
  void badEndpointNamesTheVariable() {
    assertThatThrownBy(() -> AwsTarget.local(new Env(Map.of("AWS_ENDPOINT_URL_SQS", "9324"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AWS_ENDPOINT_URL_SQS='9324'");
  }
}
