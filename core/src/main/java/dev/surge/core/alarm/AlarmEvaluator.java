package dev.surge.core.alarm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One metric alarm with CloudWatch's semantics: samples are {@link #record recorded} as they are
 * measured, and each {@link #evaluate evaluation} turns the recent complete periods into datapoints
 * and decides the alarm's state. Starts in {@link AlarmState#INSUFFICIENT_DATA}. Thread-safe.
 *
 * <p>An evaluation at {@code now}:
 *
 * <ol>
 *   <li>Periods are aligned to multiples of the period since the epoch, as CloudWatch aligns them;
 *       the period containing {@code now} is incomplete and not evaluated.
 *   <li>The evaluation range is the last {@link AlarmSpec#evaluationRange()} complete periods
 *       ({@code evaluationPeriods + 2}). Each period's samples are aggregated with the statistic; a
 *       period without samples is missing.
 *   <li>The state is decided as CloudWatch documents it in "Evaluating an alarm" and "Configuring
 *       how CloudWatch alarms treat missing data": at least {@code datapointsToAlarm} breaching
 *       datapoints among the {@code evaluationPeriods} evaluated means ALARM; real datapoints older
 *       than {@code evaluationPeriods} are used before missing ones are filled in; the treatment of
 *       missing data only fills the shortfall. The details are in {@link MissingDataRules}.
 *   <li>A state change is returned as an {@link AlarmTransition}, with CloudWatch's reason text and
 *       reason data; an evaluation that keeps the state returns nothing, so alarm actions run on
 *       state changes only.
 * </ol>
 *
 * <p>Simplifications, and why. CloudWatch does not publish the size of its evaluation range (it
 * depends on the period and the metric's resolution); Surge uses {@code evaluationPeriods + 2}, the
 * size of the documentation's worked examples. CloudWatch evaluates on its own schedule, some time
 * after a period ends, once the metric's data has arrived; here an evaluation happens when the
 * caller asks, and every sample recorded so far counts. Percentile and extended statistics, units,
 * metric math and anomaly detection bands are not supported; they are not needed for a backlog
 * alarm. Samples older than the evaluation range are discarded by each evaluation, so successive
 * evaluations are expected at non-decreasing instants.
 */
public final class AlarmEvaluator {
  private final AlarmSpec spec;
  private final long periodMillis;
  private final Object lock = new Object();

  // Guarded by lock: samples by period index (start / period), the state, and the last results.
  private final NavigableMap<Long, SampleSummary> periods = new TreeMap<>();
  private AlarmState state = AlarmState.INSUFFICIENT_DATA;
  private AlarmTransition lastTransition;
  private List<Datapoint> lastDatapoints = List.of();

  /** An alarm for {@code spec}, in INSUFFICIENT_DATA, with no samples. */
  public AlarmEvaluator(AlarmSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.periodMillis = spec.periodMillis();
  }

  /** The alarm's definition. */
  public AlarmSpec spec() {
    return spec;
  }

  /**
   * Adds one raw sample of the metric, measured at {@code timestamp}. It belongs to the period that
   * contains {@code timestamp}: a sample at 12:00:59.999 belongs to the one-minute period 12:00.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite (CloudWatch rejects them)
   */
  public void record(Instant timestamp, double value) {
    Objects.requireNonNull(timestamp, "timestamp");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a sample must be a finite number, was " + value);
    }
    long index = periodIndex(timestamp);
    synchronized (lock) {
      periods.merge(index, SampleSummary.of(value), (summary, one) -> summary.plus(value));
    }
  }

  /**
   * Evaluates the alarm at {@code now} and moves it to the state the data calls for.
   *
   * @return the transition if the state changed, empty if it stayed the same
   */
  public Optional<AlarmTransition> evaluate(Instant now) {
    Objects.requireNonNull(now, "now");
    long current = periodIndex(now);
    int range = spec.evaluationRange();
    synchronized (lock) {
      List<RangePoint> real = new ArrayList<>();
      for (int age = 1; age <= range; age++) {
        SampleSummary samples = periods.get(current - age);
        if (samples != null) {
          real.add(point(age, current - age, samples));
        }
      }
      periods.headMap(current - range).clear();
      lastDatapoints = chronological(real);

      TreatMissingData treatment = spec.effectiveTreatMissingData();
      Verdict verdict =
          MissingDataRules.decide(
              spec.evaluationPeriods(), spec.datapointsToAlarm(), treatment, real);
      Optional<AlarmState> next = verdict.next();
      if (next.isEmpty() || next.get() == state) {
        return Optional.empty();
      }
      AlarmTransition transition =
          new AlarmTransition(
              spec.name(),
              state,
              next.get(),
              ReasonWriter.reason(spec, treatment, next.get(), verdict),
              now,
              chronological(verdict.evaluated()),
              ReasonWriter.reasonData(spec, verdict, now));
      state = next.get();
      lastTransition = transition;
      return Optional.of(transition);
    }
  }

  /**
   * Sets the state by hand, as CloudWatch's {@code SetAlarmState} does: the alarm moves to {@code
   * to} with {@code reason}, and the next {@link #evaluate evaluation} decides from there (it may
   * move the alarm back at once). Setting the state the alarm is in changes nothing.
   *
   * @param to the new state
   * @param reason the reason given (CloudWatch's {@code StateReason})
   * @param reasonData the reason's JSON ({@code StateReasonData}), or {@code ""} for none
   * @param at when the state is set
   * @return the transition if the state changed, empty if the alarm was in {@code to} already
   */
  public Optional<AlarmTransition> setState(
      AlarmState to, String reason, String reasonData, Instant at) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(reasonData, "reasonData");
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      if (to == state) {
        return Optional.empty();
      }
      AlarmTransition transition =
          new AlarmTransition(spec.name(), state, to, reason, at, List.of(), reasonData);
      state = to;
      lastTransition = transition;
      return Optional.of(transition);
    }
  }

  /**
   * An evaluator for {@code newSpec} that goes on from this one, as CloudWatch updates an alarm
   * with {@code PutMetricAlarm}: the same state and last transition ("its state is left
   * unchanged"), and the samples recorded so far when the period is the same (with another period
   * they belong to other periods and are left behind).
   *
   * @throws IllegalArgumentException if {@code newSpec} names another alarm
   */
  public AlarmEvaluator reconfigured(AlarmSpec newSpec) {
    Objects.requireNonNull(newSpec, "newSpec");
    if (!newSpec.name().equals(spec.name())) {
      throw new IllegalArgumentException(
          "alarm " + spec.name() + " cannot become " + newSpec.name());
    }
    AlarmEvaluator next = new AlarmEvaluator(newSpec);
    synchronized (lock) {
      synchronized (next.lock) {
        next.state = state;
        next.lastTransition = lastTransition;
        if (newSpec.periodMillis() == periodMillis) {
          next.periods.putAll(periods);
          next.lastDatapoints = lastDatapoints;
        }
      }
    }
    return next;
  }

  /** The alarm's current state. */
  public AlarmState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** The most recent state change, if there was one. */
  public Optional<AlarmTransition> lastTransition() {
    synchronized (lock) {
      return Optional.ofNullable(lastTransition);
    }
  }

  /**
   * The real datapoints of the last evaluation's range, oldest first (missing periods are absent),
   * for display; empty before the first evaluation.
   */
  public List<Datapoint> lastDatapoints() {
    synchronized (lock) {
      return lastDatapoints;
    }
  }

  private long periodIndex(Instant instant) {
    return Math.floorDiv(instant.toEpochMilli(), periodMillis);
  }

  private RangePoint point(int age, long index, SampleSummary samples) {
    double value = spec.statistic().apply(samples);
    return new RangePoint(
        age,
        Instant.ofEpochMilli(index * periodMillis),
        value,
        samples.count(),
        spec.comparison().breaches(value, spec.threshold()));
  }

  private static List<Datapoint> chronological(List<RangePoint> newestFirst) {
    List<Datapoint> points = new ArrayList<>(newestFirst.size());
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      points.add(newestFirst.get(i).datapoint());
    }
    return List.copyOf(points);
  }
}
