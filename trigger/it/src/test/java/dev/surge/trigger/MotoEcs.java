package dev.surge.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.standins.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/**
 * moto's ECS (moto is an AWS emulator written by others, patched where it differs from what AWS
 * documents; see {@link MotoServer}) with what {@code RunTask} needs: a VPC, a subnet and a
 * security group for the tasks' network interfaces, a cluster and a Fargate task definition. In the
 * patched moto a Fargate task is RUNNING as soon as {@code RunTask} returns and stays so until
 * {@code StopTask}; no container runs. The set-up the ECS launcher's tests on moto share.
 */
final class MotoEcs implements AutoCloseable {
  static final String CLUSTER = "surge-contract";
  static final String FAMILY = "surge-contract-td";
  static final String CONTAINER = "surge-worker";

  final MotoServer moto;
  final String subnet;
  final String securityGroup;
  private final EcsClient ecs;

  private MotoEcs(MotoServer moto, String subnet, String securityGroup, EcsClient ecs) {
    this.moto = moto;
    this.subnet = subnet;
    this.securityGroup = securityGroup;
    this.ecs = ecs;
  }

  /** Starts moto with its scripts and log in {@code work} and creates the network and cluster. */
  static MotoEcs start(Path work) throws IOException {
    Files.deleteIfExists(work.resolve("moto.log"));
    MotoServer moto = MotoServer.start(work);
    try (Ec2Client ec2 =
        Ec2Client.builder()
            .region(Region.of(MotoServer.REGION))
            .endpointOverride(moto.endpoint())
            .credentialsProvider(credentials(moto))
            .httpClientBuilder(Apache5HttpClient.builder())
            .build()) {
      // An awsvpc task gets a network interface in the first subnet, with the groups given.
      String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      String subnet =
          ec2.createSubnet(
                  b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
              .subnet()
              .subnetId();
      String securityGroup =
          ec2.createSecurityGroup(
                  b -> b.vpcId(vpc).groupName("surge-tasks").description("Surge worker tasks"))
              .groupId();
      EcsClient ecs = client(moto, moto.endpoint(), List.of());
      ecs.createCluster(b -> b.clusterName(CLUSTER));
      ecs.registerTaskDefinition(
          b ->
              b.family(FAMILY)
                  .requiresCompatibilities(Compatibility.FARGATE)
                  .networkMode(NetworkMode.AWSVPC)
                  .cpu("256")
                  .memory("512")
                  .containerDefinitions(
                      ContainerDefinition.builder()
                          .name(CONTAINER)
                          .image("surge-worker:contract")
                          .essential(true)
                          .build()));
      return new MotoEcs(moto, subnet, securityGroup, ecs);
    } catch (RuntimeException e) {
      moto.close();
      throw e;
    }
  }

  /** A new ECS client of moto, with {@code interceptors}; the caller closes it. */
  EcsClient newClient(ExecutionInterceptor... interceptors) {
    return client(moto, moto.endpoint(), List.of(interceptors));
  }

  /** A new ECS client of moto that reaches it through {@code endpoint} (a relay to it). */
  EcsClient newClient(java.net.URI endpoint) {
    return client(moto, endpoint, List.of());
  }

  /** The client the set-up used, for the tests' own calls (stop a task, list with the lag off). */
  EcsClient ecs() {
    return ecs;
  }

  /** Settings that start {@code taskDefinition} in the cluster, tagged {@code startedBy}. */
  EcsSettings settings(String taskDefinition, String startedBy) {
    return new EcsSettings(
        CLUSTER,
        taskDefinition,
        CONTAINER,
        List.of(subnet),
        List.of(securityGroup),
        false,
        startedBy);
  }

  private static EcsClient client(
      MotoServer moto, java.net.URI endpoint, List<ExecutionInterceptor> interceptors) {
    return EcsClient.builder()
        .region(Region.of(MotoServer.REGION))
        .endpointOverride(endpoint)
        .credentialsProvider(credentials(moto))
        .httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(o -> interceptors.forEach(o::addExecutionInterceptor))
        .build();
  }

  private static StaticCredentialsProvider credentials(MotoServer moto) {
    Map<String, String> env = moto.clientEnvironment();
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
  }

  /** Closes the client and stops moto, and checks that it is gone. */
  @Override
  public void close() {
    ecs.close();
    moto.close();
    assertThat(moto.alive()).as("moto (pid %d) stopped", moto.pid()).isFalse();
  }
}
