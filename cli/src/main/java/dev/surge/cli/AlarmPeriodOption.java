package dev.surge.cli;

import dev.surge.core.Env;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --alarm-period}: shared by the commands that start the local cloud. */
final class AlarmPeriodOption {
  @Option(
      names = "--alarm-period",
      defaultValue = "5",
      description =
          "Alarm period in seconds (${DEFAULT-VALUE}; 60 in AWS): the queue is sampled once per"
              + " period and the reconciler runs once per period.")
  String alarmPeriod;

  /** The period, 100 ms up to {@code max}. */
  Duration parse(Duration max) {
    return Env.parseSeconds("--alarm-period", alarmPeriod, Duration.ofMillis(100), max);
  }
}
