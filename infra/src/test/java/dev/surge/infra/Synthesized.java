package dev.surge.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Stacks synthesized once per test JVM and shared by the test classes: each synthesis drives the
 * jsii Node.js process and takes seconds.
 */
final class Synthesized {
  static final String VPC_ID = "vpc-0123456789abcdef0";
  static final List<String> SUBNET_IDS =
      List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");
  static final List<String> ZONES = List.of("us-east-1a", "us-east-1b");
  static final String SECURITY_GROUP_ID = "sg-0123456789abcdef0";

  private static SurgeStack defaultStack;
  private static Template defaultTemplate;
  private static Template existingVpcTemplate;
  private static Path lambdaJar;

  private Synthesized() {}

  /** The stack with every default (new VPC, seed names). */
  static synchronized SurgeStack defaultStack() {
    if (defaultStack == null) {
      defaultStack = new SurgeStack(new App(), SurgeStackProps.builder(lambdaJar()).build());
      defaultTemplate = Template.fromStack(defaultStack);
    }
    return defaultStack;
  }

  /** The template of {@link #defaultStack()}. */
  static synchronized Template defaultTemplate() {
    defaultStack();
    return defaultTemplate;
  }

  /** The stack in an existing VPC with an existing security group, tasks without public IPs. */
  static synchronized Template existingVpcTemplate() {
    if (existingVpcTemplate == null) {
      SurgeStackProps props =
          SurgeStackProps.builder(lambdaJar())
              .network(
                  new NetworkProps.ExistingVpc(
                      VPC_ID, SUBNET_IDS, ZONES, Optional.of(SECURITY_GROUP_ID), false))
              .build();
      existingVpcTemplate = Template.fromStack(new SurgeStack(new App(), props));
    }
    return existingVpcTemplate;
  }

  /** A small jar standing in for the trigger's shaded jar. */
  static synchronized Path lambdaJar() {
    if (lambdaJar == null) {
      try {
        Path dir = Files.createTempDirectory("surge-infra-test");
        dir.toFile().deleteOnExit();
        lambdaJar = writeJar(dir.resolve("surge-trigger-lambda.jar"));
        lambdaJar.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lambdaJar;
  }

  /** Writes a one-entry jar at {@code path}. */
  static Path writeJar(Path path) throws IOException {
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(path))) {
      jar.putNextEntry(new JarEntry("dev/surge/trigger/README.txt"));
      jar.write(
          "stand-in for the trigger's shaded jar"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return path;
  }
}
