package dev.surge.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.Env;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.trigger.AwsWiring;
import dev.surge.trigger.EcsSettings;
import dev.surge.trigger.TriggerService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local function's environment: the deployed function's variables, naming local things. */
class FunctionEnvironmentTest {
  private static final String QUEUE = "http://127.0.0.1:9324/000000000000/demo-decoupling-saa";
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:4566");

  private static Map<String, String> of(ScalingPolicy policy, int max) {
    return LocalCloud.functionEnvironment(
        LocalCloudOptions.seed(0, 0, Path.of("logs")).withPolicy(policy, max),
        QUEUE,
        ENDPOINT,
        "us-east-1");
  }

  @Test
  void namesTheLocalResourcesTheEndpointAndTheControlTableAsTheStackNamesItsOwn() {
    Map<String, String> env = of(ScalingPolicy.Proportional.defaults(), 10);

    assertThat(env)
        .containsEntry(TriggerSettings.QUEUE, QUEUE)
        .containsEntry(TriggerSettings.ALARM, "fasttrack-saa-backlog")
        .containsEntry(EcsVariables.CLUSTER, "FastTrack-Saa-Sqs-demo")
        .containsEntry(EcsVariables.TASK_DEFINITION, "fasttrack-saa-td")
        .containsEntry(EcsVariables.CONTAINER, "fasttrack-saa")
        .containsEntry(EcsVariables.STARTED_BY, "surge")
        .containsEntry(ControlSchema.TABLE, "fasttracksaa-control")
        .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
        .containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("AWS_ACCESS_KEY_ID", "surge-local")
        .doesNotContainKeys("AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_DYNAMODB");
    EcsSettings ecs = EcsSettings.fromEnvironment(new Env(env));
    assertThat(ecs.subnets()).containsExactly(LocalCloud.LOCAL_SUBNET);
    assertThat(ecs.securityGroups()).containsExactly(LocalCloud.LOCAL_SECURITY_GROUP);
  }

  @Test
  void carriesEitherPolicyWithItsParametersToTheTriggersSettings() {
    ScalingPolicy proportional = new ScalingPolicy.Proportional(250, 7);
    ScalingPolicy fixed = new ScalingPolicy.Fixed(3);

    assertThat(TriggerSettings.fromEnvironment(new Env(of(proportional, 7))).policy())
        .isEqualTo(proportional);
    assertThat(TriggerSettings.fromEnvironment(new Env(of(fixed, 3))).policy()).isEqualTo(fixed);
  }

  @Test
  void isWhatTheLambdasWiringBuildsItsTriggerFrom() throws Exception {
    List<AutoCloseable> clients = new ArrayList<>();

    TriggerService service =
        AwsWiring.service(new Env(of(new ScalingPolicy.Fixed(2), 2)), clients::add);

    assertThat(service.settings().policy()).isEqualTo(new ScalingPolicy.Fixed(2));
    // ECS, SQS, CloudWatch, and DynamoDB for the fleet lease.
    assertThat(clients).hasSize(4);
    for (AutoCloseable c : clients) {
      c.close();
    }
  }
}
