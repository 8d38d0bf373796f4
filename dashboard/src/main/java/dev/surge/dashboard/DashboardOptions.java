package dev.surge.dashboard;

import dev.surge.core.ResourceNames;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DashboardServer} serves.
 *
 * @param host the address to bind; loopback unless the caller chooses otherwise, since the page has
 *     no authentication
 * @param port the TCP port; 0 picks any free port
 * @param heartbeat how often an idle event stream gets a comment line, so proxies keep it open and
 *     a vanished browser is noticed
 * @param maxStreams how many event streams may be open at once (each holds one thread)
 * @param target what the page names as the run's target ({@code local}, {@code aws}, {@code demo
 *     feed})
 * @param names the pipeline's resource names, shown in the diagram's boxes
 */
public record DashboardOptions(
    String host, int port, Duration heartbeat, int maxStreams, String target, ResourceNames names) {

  /** The default host: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** Validates every field. */
  public DashboardOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(names, "names");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be >= 1, was " + maxStreams);
    }
  }

  /** 127.0.0.1:8080, a heartbeat every 15 s, 32 streams, target {@code local}, the seed's names. */
  public static DashboardOptions defaults() {
    return new DashboardOptions(
        DEFAULT_HOST, DEFAULT_PORT, Duration.ofSeconds(15), 32, "local", ResourceNames.seed());
  }

  /** The same options on another host. */
  public DashboardOptions withHost(String newHost) {
    return new DashboardOptions(newHost, port, heartbeat, maxStreams, target, names);
  }

  /** The same options on another port (0 = any free port). */
  public DashboardOptions withPort(int newPort) {
    return new DashboardOptions(host, newPort, heartbeat, maxStreams, target, names);
  }

  /** The same options with another heartbeat interval. */
  public DashboardOptions withHeartbeat(Duration newHeartbeat) {
    return new DashboardOptions(host, port, newHeartbeat, maxStreams, target, names);
  }

  /** The same options with another cap on open event streams. */
  public DashboardOptions withMaxStreams(int newMaxStreams) {
    return new DashboardOptions(host, port, heartbeat, newMaxStreams, target, names);
  }

  /** The same options naming another target. */
  public DashboardOptions withTarget(String newTarget) {
    return new DashboardOptions(host, port, heartbeat, maxStreams, newTarget, names);
  }

  /** The same options with other resource names. */
  public DashboardOptions withNames(ResourceNames newNames) {
    return new DashboardOptions(host, port, heartbeat, maxStreams, target, newNames);
  }
}
