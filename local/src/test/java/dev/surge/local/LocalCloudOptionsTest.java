package dev.surge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.local.tasks.WorkerTuning;
import dev.surge.queue.QueueOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LocalCloudOptionsTest {
  private final LocalCloudOptions seed = LocalCloudOptions.seed(9324, 8000, Path.of("logs"));

  @Test
  void eachCopyChangesOnlyWhatItNames() {
    QueueOptions queue = new QueueOptions(Duration.ofSeconds(10), 3);
    WorkerTuning tuning =
        new WorkerTuning(OptionalInt.of(2), Optional.empty(), Optional.of(Duration.ofSeconds(3)));
    ScalingPolicy fixed = new ScalingPolicy.Fixed(4);

    assertThat(seed.withAwsPort(4566))
        .isEqualTo(with(seed, 4566, seed.queue(), seed.alarmPeriod(), seed.alarmThreshold()));
    assertThat(seed.withQueue(queue))
        .isEqualTo(with(seed, seed.awsPort(), queue, seed.alarmPeriod(), seed.alarmThreshold()));
    assertThat(seed.withAlarmPeriod(Duration.ofSeconds(2)))
        .isEqualTo(
            with(seed, seed.awsPort(), seed.queue(), Duration.ofSeconds(2), seed.alarmThreshold()));
    assertThat(seed.withAlarmThreshold(1000))
        .isEqualTo(with(seed, seed.awsPort(), seed.queue(), seed.alarmPeriod(), 1000));

    LocalCloudOptions policy = seed.withPolicy(fixed, 4);
    assertThat(policy.policy()).isEqualTo(fixed);
    assertThat(policy.maxTasks()).isEqualTo(4);
    assertThat(policy.withPolicy(seed.policy(), seed.maxTasks())).isEqualTo(seed);

    assertThat(seed.withTuning(tuning).tuning()).isEqualTo(tuning);
    assertThat(seed.withTuning(tuning).withTuning(seed.tuning())).isEqualTo(seed);
    assertThat(seed.withMonitorPeriod(Duration.ofSeconds(1)).monitorPeriod())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(
            seed.withMonitorPeriod(Duration.ofSeconds(1)).withMonitorPeriod(seed.monitorPeriod()))
        .isEqualTo(seed);
  }

  @Test
  void aCopyIsValidatedAsANewRecordIs() {
    assertThatThrownBy(() -> seed.withAlarmPeriod(Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 100 ms");
    assertThatThrownBy(() -> seed.withPolicy(seed.policy(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTasks");
    assertThatThrownBy(() -> seed.withAlarmThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static LocalCloudOptions with(
      LocalCloudOptions o, int awsPort, QueueOptions queue, Duration period, double threshold) {
    return new LocalCloudOptions(
        o.host(),
        o.sqsPort(),
        o.dynamodbPort(),
        awsPort,
        o.names(),
        queue,
        period,
        threshold,
        o.policy(),
        o.maxTasks(),
        o.tuning(),
        o.logDirectory(),
        o.monitorPeriod());
  }
}
