package dev.surge.infra;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Where the worker tasks run: a VPC the stack creates, or one that already exists. */
public sealed interface NetworkProps {

  /** Whether tasks get a public IP ({@code SURGE_ASSIGN_PUBLIC_IP}). */
  boolean assignPublicIp();

  /**
   * A new VPC with public subnets only and no NAT gateway; tasks reach AWS APIs through their
   * public IP, as in the seed, which keeps an idle stack free of NAT hourly charges.
   *
   * @param maxAzs availability zones to spread the public subnets over
   */
  record NewVpc(int maxAzs) implements NetworkProps {
    /** Between 1 and 6 zones. */
    public NewVpc {
      if (maxAzs < 1 || maxAzs > 6) {
        throw new IllegalArgumentException("maxAzs must be 1..6, was " + maxAzs);
      }
    }

    /** Two zones, as the seed's two subnets. */
    public static NewVpc defaults() {
      return new NewVpc(2);
    }

    @Override
    public boolean assignPublicIp() {
      // Without a NAT gateway a task in a public subnet needs a public IP to pull its image.
      return true;
    }
  }

  /**
   * A VPC given by id, imported without any AWS call (synthesis needs no credentials).
   *
   * @param vpcId {@code vpc-...}
   * @param subnetIds subnets the tasks run in ({@code subnet-...}); a multiple of the zone count
   * @param availabilityZones the zones of those subnets, in the same order
   * @param securityGroupId an existing security group for the tasks; empty = the stack makes one
   * @param assignPublicIp {@code true} for public subnets without NAT, {@code false} for private
   *     subnets that reach AWS through NAT or VPC endpoints
   */
  record ExistingVpc(
      String vpcId,
      List<String> subnetIds,
      List<String> availabilityZones,
      Optional<String> securityGroupId,
      boolean assignPublicIp)
      implements NetworkProps {

    private static final Pattern VPC = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern ZONE = Pattern.compile("[a-z]{2}-[a-z0-9-]+[a-z]");

    /** Validates the ids' shapes and that every zone has the same number of subnets. */
    public ExistingVpc {
      check("vpcId", vpcId, VPC);
      subnetIds = List.copyOf(Objects.requireNonNull(subnetIds, "subnetIds"));
      availabilityZones =
          List.copyOf(Objects.requireNonNull(availabilityZones, "availabilityZones"));
      Objects.requireNonNull(securityGroupId, "securityGroupId");
      if (subnetIds.isEmpty() || availabilityZones.isEmpty()) {
        throw new IllegalArgumentException(
            "an existing VPC needs subnetIds and availabilityZones (comma-separated)");
      }
      subnetIds.forEach(s -> check("subnetIds", s, SUBNET));
      availabilityZones.forEach(z -> check("availabilityZones", z, ZONE));
      securityGroupId.ifPresent(s -> check("securityGroupId", s, SECURITY_GROUP));
      if (subnetIds.size() % availabilityZones.size() != 0) {
        throw new IllegalArgumentException(
            subnetIds.size()
                + " subnetIds cannot be spread evenly over "
                + availabilityZones.size()
                + " availabilityZones; give one zone per subnet, in the same order");
      }
    }

    private static void check(String what, String value, Pattern shape) {
      if (value == null || !shape.matcher(value).matches()) {
        throw new IllegalArgumentException(
            what + " value '" + value + "' does not look like " + shape.pattern());
      }
    }
  }
}
