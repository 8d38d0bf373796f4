package dev.surge.dashboard.demo;

import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.dashboard.DashboardOptions;
import dev.surge.dashboard.DashboardServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Plays a {@link DemoScript} into an {@link EventLog} at a steady pace, so the dashboard can be
 * seen without the pipeline. Its {@link #main} serves the page and plays the seed's run:
 *
 * <pre>DemoFeed [--port 8080] [--host 127.0.0.1] [--step-millis 600]</pre>
 */
public final class DemoFeed {
  private final EventLog log;
  private final Clock clock;
  private final Duration step;

  /** Plays into {@code log}, stamping events with {@code clock}, one step every {@code step}. */
  public DemoFeed(EventLog log, Clock clock, Duration step) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.step = Objects.requireNonNull(step, "step");
  }

  /** Plays {@code script} to its end (the summary event). */
  public void play(DemoScript script) throws InterruptedException {
    while (!script.finished()) {
      for (PipelineEvent event : script.step(clock.instant())) {
        log.publish(event);
      }
      if (!script.finished()) {
        TimeUnit.MILLISECONDS.sleep(step.toMillis());
      }
    }
  }

  /** Serves the dashboard and plays the seed's run into it; serves on until interrupted. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** {@link #main} without the exit: returns 0, 1 on a failure, 2 on a usage error. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    DashboardOptions options = DashboardOptions.defaults().withTarget("demo feed");
    long stepMillis = 600;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--port" -> options = options.withPort(Integer.parseInt(required(args[i], value)));
          case "--host" -> options = options.withHost(required(args[i], value));
          case "--step-millis" -> stepMillis = Long.parseLong(required(args[i], value));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (stepMillis < 1) {
        throw new IllegalArgumentException("--step-millis must be >= 1");
      }
    } catch (IllegalArgumentException e) {
      err.println("demo feed: " + e.getMessage());
      err.println("usage: DemoFeed [--port 8080] [--host 127.0.0.1] [--step-millis 600]");
      return 2;
    }
    EventLog log = new EventLog(10_000);
    try (DashboardServer server = new DashboardServer(log, options).start()) {
      out.println("dashboard: " + server.uri() + " (demo feed; Ctrl-C to stop)");
      new DemoFeed(log, Clock.systemUTC(), Duration.ofMillis(stepMillis))
          .play(DemoScript.seed(options.names()));
      out.println("demo feed finished; still serving " + server.uri());
      new CountDownLatch(1).await();
      return 0;
    } catch (IOException e) {
      err.println("demo feed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
