package dev.surge.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.ResourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CDK context to stack props; no synthesis. */
class ContextSettingsTest {
  @TempDir Path repo;
  private Path infra;
  private Path jar;
  private final Map<String, Object> context = new HashMap<>();

  @BeforeEach
  void layOutARepository() throws IOException {
    infra = Files.createDirectories(repo.resolve("infra"));
    Files.writeString(infra.resolve("cdk.json"), "{}");
    jar =
        Files.createDirectories(repo.resolve("trigger/target")).resolve("surge-trigger-lambda.jar");
    Synthesized.writeJar(jar);
  }

  private SurgeStackProps read() {
    return new ContextSettings(context::get, infra).read();
  }

  @Test
  void noContextGivesTheSeedStackWithTheTriggerJarOfTheRepository() {
    SurgeStackProps props = read();
    assertThat(props).isEqualTo(SurgeStackProps.builder(jar).build());
    assertThat(props.stackName()).isEqualTo("Surge");
    assertThat(props.names()).isEqualTo(ResourceNames.seed());
    assertThat(props.network()).isEqualTo(new NetworkProps.NewVpc(2));
  }

  @Test
  void theDefaultJarIsFoundFromTheRepositoryRootToo() {
    SurgeStackProps props = new ContextSettings(context::get, repo).read();
    assertThat(props.lambdaJar()).isEqualTo(jar);
  }

  @Test
  void aMissingJarSaysHowToBuildOrNameIt() throws IOException {
    Files.delete(jar);
    assertThatThrownBy(this::read)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("mvn -B -pl trigger -am package")
        .hasMessageContaining("-c lambdaJar=PATH");
  }

  @Test
  void aRelativeJarIsResolvedAgainstTheWorkingDirectory() throws IOException {
    Path other = Synthesized.writeJar(infra.resolve("other.jar"));
    context.put("lambdaJar", "other.jar");
    assertThat(read().lambdaJar()).isEqualTo(other);
  }

  @Test
  void prefixGoesInFrontOfEveryNameAndTheStackName() {
    context.put("prefix", "dev-");
    SurgeStackProps props = read();
    assertThat(props.stackName()).isEqualTo("dev-Surge");
    assertThat(props.names()).isEqualTo(ResourceNames.seed().withPrefix("dev-"));
  }

  @Test
  void aPrefixThatSomeServiceWouldRejectIsRefused() {
    context.put("prefix", "dev_");
    assertThatThrownBy(this::read).hasMessageStartingWith("prefix 'dev_' is not valid");
  }

  @Test
  void anExistingVpcIsReadFromCommaSeparatedStrings() {
    context.put("vpcId", "vpc-0123456789abcdef0");
    context.put("subnetIds", "subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2");
    context.put("availabilityZones", "eu-west-1a,eu-west-1b");
    context.put("assignPublicIp", "false");
    assertThat(read().network())
        .isEqualTo(
            new NetworkProps.ExistingVpc(
                "vpc-0123456789abcdef0",
                List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"),
                List.of("eu-west-1a", "eu-west-1b"),
                Optional.empty(),
                false));
  }

  @Test
  void anExistingVpcIsReadFromJsonListsAsCdkJsonGivesThem() {
    context.put("vpcId", "vpc-0123456789abcdef0");
    context.put("subnetIds", List.of("subnet-0aaaaaaaaaaaaaaa1"));
    context.put("availabilityZones", List.of("us-east-1a"));
    context.put("securityGroupId", "sg-0123456789abcdef0");
    assertThat(read().network())
        .isEqualTo(
            new NetworkProps.ExistingVpc(
                "vpc-0123456789abcdef0",
                List.of("subnet-0aaaaaaaaaaaaaaa1"),
                List.of("us-east-1a"),
                Optional.of("sg-0123456789abcdef0"),
                true));
  }

  @Test
  void subnetsWithoutAVpcAreRefused() {
    context.put("subnetIds", "subnet-0aaaaaaaaaaaaaaa1");
    assertThatThrownBy(this::read).hasMessageContaining("subnetIds is given without vpcId");
  }

  @Test
  void subnetsThatDoNotSpreadOverTheZonesAreRefused() {
    context.put("vpcId", "vpc-0123456789abcdef0");
    context.put("subnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccc");
    context.put("availabilityZones", "us-east-1a,us-east-1b");
    assertThatThrownBy(this::read)
        .hasMessageContaining("3 subnetIds cannot be spread evenly over 2 availabilityZones");
  }

  @Test
  void anIdOfTheWrongShapeIsRefused() {
    context.put("vpcId", "vpc-0123456789abcdef0");
    context.put("subnetIds", "sg-0aaaaaaaaaaaaaaa1");
    context.put("availabilityZones", "us-east-1a");
    assertThatThrownBy(this::read).hasMessageContaining("subnetIds value 'sg-0aaaaaaaaaaaaaaa1'");
  }

  @Test
  void scalingParametersAreRead() {
    context.put("policy", "fixed");
    context.put("tasks", "6");
    context.put("messagesPerTask", 100);
    context.put("maxTasks", "20");
    context.put("activation", "Alarm");
    assertThat(read().scaling()).isEqualTo(new ScalingProps("fixed", 100, 20, 6, "surge", "alarm"));
  }

  @Test
  void anUnknownActivationIsRefusedWithBothChoices() {
    context.put("activation", "eager");
    assertThatThrownBy(this::read)
        .hasMessageContaining("activation='eager' is not an activation")
        .hasMessageContaining("'backlog'")
        .hasMessageContaining("'alarm'");
  }

  @Test
  void anUnknownPolicyIsRefused() {
    context.put("policy", "greedy");
    assertThatThrownBy(this::read).hasMessageContaining("policy 'greedy' is not a policy");
  }

  @Test
  void aNumberThatIsNotWholeNamesItsKey() {
    context.put("maxReceiveCount", "five");
    assertThatThrownBy(this::read).hasMessage("maxReceiveCount 'five' is not a whole number");
  }

  @Test
  void queueAlarmImageAndConcurrencyOptionsAreRead() {
    context.put("maxReceiveCount", "3");
    context.put("alarmThreshold", "50");
    context.put("imageTag", "v7");
    context.put("reservedConcurrency", "1");
    SurgeStackProps props = read();
    assertThat(props.maxReceiveCount()).isEqualTo(3);
    assertThat(props.alarmThreshold()).isEqualTo(50);
    assertThat(props.imageTag()).isEqualTo("v7");
    assertThat(props.reservedConcurrency()).contains(1);
  }

  @Test
  void anInvalidImageTagIsRefused() {
    context.put("imageTag", "no spaces");
    assertThatThrownBy(this::read).hasMessageContaining("image tag 'no spaces'");
  }
}
