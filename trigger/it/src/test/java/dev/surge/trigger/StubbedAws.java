package dev.surge.trigger;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.testing.AwsStub;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The trigger's AWS clients and its Lambda function's environment, pointed at an {@link AwsStub}.
 */
final class StubbedAws {
  private StubbedAws() {}

  /** Clients whose ECS, SQS and CloudWatch endpoints are {@code stub}, with dummy credentials. */
  static AwsClients clients(AwsStub stub) {
    URI e = stub.endpoint();
    return new AwsClients(
        new AwsTarget("us-east-1", Map.of("ECS", e, "SQS", e, "CLOUDWATCH", e), true),
        2,
        List.of());
  }

  /** The environment of a Lambda function whose AWS endpoints are {@code stub}. */
  static Map<String, String> lambdaEnvironment(AwsStub stub) {
    String e = stub.server.baseUrl();
    return Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "AKIDSTUB",
        "AWS_SECRET_ACCESS_KEY", "stub-secret",
        "AWS_SESSION_TOKEN", "stub-token",
        "AWS_ENDPOINT_URL_ECS", e,
        "AWS_ENDPOINT_URL_SQS", e,
        "AWS_ENDPOINT_URL_CLOUDWATCH", e,
        "SURGE_SUBNETS", "subnet-0a1b2c3d,subnet-4e5f6a7b",
        "SURGE_SECURITY_GROUPS", "sg-0123456789abcdef0");
  }
}
