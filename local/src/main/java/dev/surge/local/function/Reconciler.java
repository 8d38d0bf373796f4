package dev.surge.local.function;

import dev.surge.core.alarm.AlarmState;
import dev.surge.core.port.AlarmStateProbe;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local EventBridge schedule: invokes the function's scheduled check every period. CloudWatch
 * notifies on a state change only, so a fleet that died while the alarm stayed in ALARM would never
 * be replaced, and with activation on backlog, a backlog below the threshold left by a dead fleet
 * would wait forever; the function decides on each tick. With the seed's activation (only in ALARM)
 * the alarm is checked here first, so an idle pipeline invokes nothing.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final AlarmStateProbe alarm;
  private final LocalFunction function;
  private final boolean everyTick;
  private final Object lock = new Object();
  private ScheduledFuture<?> ticking; // guarded by lock

  /**
   * Invokes {@code function} on each tick ({@code everyTick}, as EventBridge does), or only on the
   * ticks that find {@code alarm} in ALARM.
   */
  public Reconciler(AlarmStateProbe alarm, LocalFunction function, boolean everyTick) {
    this.alarm = Objects.requireNonNull(alarm, "alarm");
    this.function = Objects.requireNonNull(function, "function");
    this.everyTick = everyTick;
  }

  /**
   * Invokes the function's scheduled event: on every tick, or only when the alarm is in ALARM.
   *
   * @return whether the function was invoked
   * @throws RuntimeException whatever the function threw
   */
  public boolean tick() {
    if (!everyTick && alarm.state() != AlarmState.ALARM) {
      return false;
    }
    function.invokeScheduled();
    return true;
  }

  /**
   * Ticks every {@code period} on {@code scheduler}, the first time one period from now; a failing
   * tick is logged and the next one runs. Stopped by {@link #close()}.
   */
  public void start(ScheduledExecutorService scheduler, Duration period) {
    Objects.requireNonNull(scheduler, "scheduler");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    synchronized (lock) {
      if (ticking != null) {
        throw new IllegalStateException("reconciler already started");
      }
      long ms = period.toMillis();
      ticking = scheduler.scheduleAtFixedRate(this::safeTick, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the ticking started by {@link #start}. */
  @Override
  public void close() {
    synchronized (lock) {
      if (ticking != null) {
        ticking.cancel(false);
      }
    }
  }

  private void safeTick() {
    try {
      if (tick()) {
        log.debug("reconcile: alarm in ALARM, trigger invoked");
      }
    } catch (RuntimeException e) {
      // The next tick decides again; scheduleAtFixedRate would stop for good on a throw.
      log.warn("reconcile failed; retrying next period: {}", e.toString(), e);
    }
  }
}
