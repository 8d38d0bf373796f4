package dev.surge.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwsBillTest {
  @Test
  void theSeedsRunCostsWhatTheListPricesSay() {
    // Four tasks of 20 s (billed a minute each), 1,100 messages.
    RunUsage u =
        new RunUsage(
            4,
            4 * RunUsage.billedTaskSeconds(Duration.ofSeconds(20)),
            400,
            1100,
            3,
            3 * RunUsage.lambdaGbSeconds(Duration.ofMillis(120), 1024),
            1,
            30);
    AwsBill bill = AwsBill.of(u, TaskSize.WORKER, AwsPrices.US_EAST_1);
    assertThat(bill.known()).isTrue();
    assertThat(bill.lines())
        .extracting(AwsBill.Line::service)
        .containsExactly(
            "Fargate", "Public IPv4", "SQS", "DynamoDB", "Lambda", "SNS", "CloudWatch alarm");
    // 240 task-seconds = 1/15 h of (0.25 × 0.04048 + 0.5 × 0.004445) $/h
    assertThat(bill.lines().get(0).usd()).isCloseTo((0.01012 + 0.0022225) / 15, within(1e-12));
    assertThat(bill.lines().get(0).usage()).contains("240 task-seconds of 0.25 vCPU and 0.5 GB");
    assertThat(bill.lines().get(1).usd()).isCloseTo(0.005 / 15, within(1e-12));
    assertThat(bill.lines().get(2).usd()).isCloseTo(400 * 0.40 / 1e6, within(1e-12));
    assertThat(bill.lines().get(3).usd()).isCloseTo(1100 * 0.625 / 1e6, within(1e-12));
    // 3 × 0.12 s × 1 GB
    assertThat(bill.lines().get(4).usd())
        .isCloseTo(3 * 0.20 / 1e6 + 0.36 * 0.0000166667, within(1e-12));
    assertThat(bill.lines().get(5).usd()).isCloseTo(0.50 / 1e6, within(1e-12));
    assertThat(bill.lines().get(6).usd()).isCloseTo(30 / (730 * 3600.0) * 0.10, within(1e-12));
    assertThat(bill.totalUsd())
        .isCloseTo(bill.lines().stream().mapToDouble(AwsBill.Line::usd).sum(), within(1e-15));
  }

  @Test
  void fargateBillsWholeSecondsAndAtLeastAMinute() {
    assertThat(RunUsage.billedTaskSeconds(Duration.ofSeconds(3))).isEqualTo(60);
    assertThat(RunUsage.billedTaskSeconds(Duration.ofMillis(61_001))).isEqualTo(62);
  }

  @Test
  void lambdaBillsWholeMillisecondsOfItsMemory() {
    assertThat(RunUsage.lambdaGbSeconds(Duration.ofNanos(1_500_000), 1024)).isEqualTo(0.002);
    assertThat(RunUsage.lambdaGbSeconds(Duration.ofMillis(100), 512)).isEqualTo(0.05);
  }

  @Test
  void aBurstIsTheDifferenceOfTwoReadings() {
    RunUsage before = new RunUsage(4, 240, 400, 1100, 3, 0.36, 1, 30);
    RunUsage after = new RunUsage(6, 360, 700, 2200, 5, 0.5, 2, 90);
    RunUsage burst = after.since(before);
    assertThat(burst).isEqualTo(new RunUsage(2, 120, 300, 1100, 2, 0.5 - 0.36, 1, 90));
  }

  @Test
  void anUnknownUsageHasNoBill() {
    assertThat(AwsBill.UNKNOWN.known()).isFalse();
  }
}
