package dev.surge.core.cost;

import java.util.List;

/**
 * List prices of what the pipeline uses, in US dollars, for one region: the one table of prices in
 * the code. No free tier is applied (an account's free tier is shared with everything else it
 * runs), nor savings plans or Spot.
 *
 * @param region the region the prices are for
 * @param asOf when they were read (year and month)
 * @param sources where they were read
 * @param fargateVcpuHour Fargate, Linux/x86, per vCPU-hour (billed per second, one minute minimum)
 * @param fargateGbHour Fargate, Linux/x86, per GB-hour of memory
 * @param publicIpv4Hour a public IPv4 address (each task has one), per hour
 * @param sqsPerMillionRequests SQS standard queue, per million requests (each 64 KB is one)
 * @param dynamoDbPerMillionWriteUnits DynamoDB on-demand, per million write request units (one per
 *     item write of up to 1 KB)
 * @param lambdaPerMillionRequests Lambda, per million invocations
 * @param lambdaGbSecond Lambda, x86, per GB-second of duration (billed per millisecond)
 * @param snsPerMillionPublishes SNS standard topic, per million publishes (deliveries to Lambda are
 *     free)
 * @param alarmMonth a CloudWatch standard-resolution metric alarm, per month (prorated by hour)
 */
public record AwsPrices(
    String region,
    String asOf,
    List<String> sources,
    double fargateVcpuHour,
    double fargateGbHour,
    double publicIpv4Hour,
    double sqsPerMillionRequests,
    double dynamoDbPerMillionWriteUnits,
    double lambdaPerMillionRequests,
    double lambdaGbSecond,
    double snsPerMillionPublishes,
    double alarmMonth) {

  /** us-east-1 (N. Virginia), on-demand list prices. */
  public static final AwsPrices US_EAST_1 =
      new AwsPrices(
          "us-east-1",
          "2026-06",
          List.of(
              "https://aws.amazon.com/fargate/pricing/",
              "https://aws.amazon.com/vpc/pricing/ (public IPv4 addresses)",
              "https://aws.amazon.com/sqs/pricing/",
              "https://aws.amazon.com/dynamodb/pricing/on-demand/",
              "https://aws.amazon.com/lambda/pricing/",
              "https://aws.amazon.com/sns/pricing/",
              "https://aws.amazon.com/cloudwatch/pricing/"),
          0.04048,
          0.004445,
          0.005,
          0.40,
          0.625,
          0.20,
          0.0000166667,
          0.50,
          0.10);

  /** Copies the list. */
  public AwsPrices {
    sources = List.copyOf(sources);
  }
}
