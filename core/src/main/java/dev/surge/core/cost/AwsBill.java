package dev.surge.core.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run would have cost on AWS: one line per billed resource, at list prices.
 *
 * @param region the prices' region
 * @param pricesAsOf when the prices were read
 * @param lines one per resource, in the order of the pipeline
 * @param totalUsd the sum of the lines
 */
public record AwsBill(String region, String pricesAsOf, List<Line> lines, double totalUsd) {
  /** No bill: the run's usage is not known (the {@code aws} target: AWS bills it). */
  public static final AwsBill UNKNOWN = new AwsBill("", "", List.of(), 0);

  /**
   * One resource.
   *
   * @param service what is billed
   * @param usage how much of it the run used, in words
   * @param usd its price
   */
  public record Line(String service, String usage, double usd) {}

  /** Copies the list. */
  public AwsBill {
    lines = List.copyOf(lines);
  }

  /** Whether there is a bill (the usage was known). */
  public boolean known() {
    return !lines.isEmpty();
  }

  /** The bill of {@code u}, for tasks of {@code size}, at prices {@code p}. */
  public static AwsBill of(RunUsage u, TaskSize size, AwsPrices p) {
    List<Line> lines = new ArrayList<>();
    double hours = u.taskSeconds() / 3600;
    lines.add(
        new Line(
            "Fargate",
            String.format(
                Locale.ROOT,
                "%d task(s), %.0f task-seconds of %s vCPU and %s GB (at least a minute each)",
                u.tasks(),
                u.taskSeconds(),
                trim(size.vcpu()),
                trim(size.memoryGb())),
            hours * (size.vcpu() * p.fargateVcpuHour() + size.memoryGb() * p.fargateGbHour())));
    lines.add(
        new Line(
            "Public IPv4",
            String.format(Locale.ROOT, "one address per task, %.0f seconds", u.taskSeconds()),
            hours * p.publicIpv4Hour()));
    lines.add(
        new Line(
            "SQS",
            String.format(Locale.ROOT, "%,d requests", u.sqsRequests()),
            u.sqsRequests() / 1e6 * p.sqsPerMillionRequests()));
    lines.add(
        new Line(
            "DynamoDB",
            String.format(Locale.ROOT, "%,d write request units", u.dynamoDbWriteUnits()),
            u.dynamoDbWriteUnits() / 1e6 * p.dynamoDbPerMillionWriteUnits()));
    lines.add(
        new Line(
            "Lambda",
            String.format(
                Locale.ROOT,
                "%,d invocation(s), %.3f GB-seconds",
                u.lambdaInvocations(),
                u.lambdaGbSeconds()),
            u.lambdaInvocations() / 1e6 * p.lambdaPerMillionRequests()
                + u.lambdaGbSeconds() * p.lambdaGbSecond()));
    lines.add(
        new Line(
            "SNS",
            String.format(
                Locale.ROOT, "%,d publish(es); deliveries to Lambda are free", u.snsPublishes()),
            u.snsPublishes() / 1e6 * p.snsPerMillionPublishes()));
    lines.add(
        new Line(
            "CloudWatch alarm",
            String.format(Locale.ROOT, "its share of a month for %.0f s", u.runSeconds()),
            u.runSeconds() / (730 * 3600.0) * p.alarmMonth()));
    double total = lines.stream().mapToDouble(Line::usd).sum();
    return new AwsBill(p.region(), p.asOf(), lines, total);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
