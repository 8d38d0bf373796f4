package dev.surge.core.alarm;

import java.time.Instant;
import java.util.Objects;

/**
 * One period's aggregated value, as CloudWatch reports it: stamped with the period's start.
 *
 * @param timestamp the start of the period
 * @param value the statistic over the period's samples
 */
public record Datapoint(Instant timestamp, double value) {

  /** The timestamp is required. */
  public Datapoint {
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
