package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What deploy, destroy and the AWS demo say when the account cannot be asked who the caller is. */
class AwsCallerTest {
  @Test
  void noNetworkIsBlamedOnTheNetworkNotTheCredentials() {
    // Port 9 (discard) answers nothing here: the request does not get through.
    AwsTarget target =
        AwsTarget.aws(
            new Env(
                Map.of(
                    "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                    "AWS_SECRET_ACCESS_KEY", "secret",
                    "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")));
    AwsCaller caller = new AwsCaller(new AwsClients(target, 1, List.of()));
    // Credentials the SDK's default chain finds first (system properties), so only the network
    // is missing.
    System.setProperty("aws.accessKeyId", "AKIAEXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
    try {
      assertThatThrownBy(caller::identity)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("cannot reach AWS STS")
          .hasMessageContaining("network")
          .hasMessageNotContaining("no usable AWS credentials");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
