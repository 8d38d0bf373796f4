package dev.surge.cli;

import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog;
import dev.surge.dashboard.DashboardOptions;
import dev.surge.dashboard.DashboardServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/** Starts the live dashboard for a command, falling back to a free port when its port is taken. */
final class Dashboards {
  private Dashboards() {}

  static Optional<DashboardServer> start(
      EventLog events,
      boolean disabled,
      String host,
      int port,
      boolean fixedPort,
      String target,
      ResourceNames names,
      PrintWriter err) {
    if (disabled) {
      return Optional.empty();
    }
    DashboardOptions options =
        DashboardOptions.defaults()
            .withHost(host)
            .withPort(port)
            .withTarget(target)
            .withNames(names);
    try {
      return Optional.of(new DashboardServer(events, options).start());
    } catch (IOException e) {
      if (port == 0) {
        throw new dev.surge.core.ConfigException(
            "cannot serve the dashboard: " + e.getMessage(), e);
      }
      if (fixedPort) {
        throw new dev.surge.core.ConfigException(
            "cannot serve the dashboard: "
                + host
                + ":"
                + port
                + " is already in use (is another 'surge up' running?); stop that process,"
                + " choose another port with --dashboard-port, or pass --no-dashboard",
            e);
      }
      err.printf(
          "surge: dashboard port %d is in use; serving on a free port instead (--dashboard-port"
              + " to choose)%n",
          port);
      try {
        return Optional.of(new DashboardServer(events, options.withPort(0)).start());
      } catch (IOException again) {
        throw new dev.surge.core.ConfigException(
            "cannot serve the dashboard: " + again.getMessage(), again);
      }
    }
  }
}
