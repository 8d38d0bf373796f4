package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * The ports a server of the local cloud takes when it cannot check a request's {@code Origin} and
 * {@code Host} itself (ElasticMQ's own port, the chaos proxy in front of it): the ports no browser
 * connects to. The Fetch standard's "port blocking" (fetch.spec.whatwg.org, "bad port") makes every
 * fetch of an {@code http:} URL on these ports a network error, whatever the host name: a page
 * cannot post a form, call {@code fetch} or navigate there, nor reach it by DNS rebinding.
 * Chromium, Firefox and Safari all apply it. Only the unprivileged ones are listed (a port below
 * 1024 needs root to listen on).
 */
public final class BrowserBlockedPorts {
  private BrowserBlockedPorts() {}

  /**
   * The Fetch standard's bad ports from 1024 up that Chromium refuses too: Chromium 156 still
   * connects to 4190 and 6679 (tried one by one), so those two are left out.
   */
  public static final List<Integer> PORTS =
      List.of(
          6665, 6666, 6667, 6668, 6669, 6697, 10080, 3659, 6566, 1719, 1720, 1723, 5060, 5061, 4045,
          2049, 6000);

  /**
   * The order this process tries them in: the list turned at a random place, so that local clouds
   * starting at the same moment (tests side by side) seldom race for the same port.
   */
  private static final List<Integer> ORDER = turned(PORTS);

  private static List<Integer> turned(List<Integer> ports) {
    List<Integer> order = new java.util.ArrayList<>(ports);
    java.util.Collections.rotate(
        order, java.util.concurrent.ThreadLocalRandom.current().nextInt(ports.size()));
    return List.copyOf(order);
  }

  /** Whether a browser refuses to connect to {@code port}. */
  public static boolean blocked(int port) {
    return PORTS.contains(port);
  }

  /**
   * The first of {@link #PORTS} that is free on {@code host} now (another process may take it
   * before the caller listens: callers that can fail to bind try the next one).
   *
   * @param after try only the ports after this one in this process's order ({@code 0}: from the
   *     first)
   * @throws ConfigException when every one is taken
   */
  public static int free(String host, int after) {
    int start = after == 0 ? 0 : ORDER.indexOf(after) + 1;
    for (int port : ORDER.subList(start, ORDER.size())) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        return port;
      } catch (IOException taken) {
        // in use: try the next
      }
    }
    throw new ConfigException(
        "no port a browser cannot reach is free on "
            + host
            + " (tried "
            + PORTS
            + "): the local cloud puts ElasticMQ's own port and the chaos proxy on one of them;"
            + " stop what holds them (another 'surge up'?) and try again");
  }

  /** Listens on the first free one of {@link #PORTS} on {@code host}. */
  public static ServerSocket listen(String host, int backlog) {
    for (int after = 0; ; ) {
      int port = free(host, after);
      try {
        return new ServerSocket(port, backlog, InetAddress.getByName(host));
      } catch (IOException taken) {
        after = port; // taken since the probe: the next
      }
    }
  }
}
