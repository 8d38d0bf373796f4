package dev.surge.standins;

import dev.surge.core.ConfigException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElasticMQ embedded in this JVM: the SQS API on one local interface, serving only requests that
 * {@link dev.surge.core.LoopbackRequests} accepts (see {@link GuardedSqsServer}).
 */
public final class ElasticMqServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ElasticMqServer.class);

  /** The account id in queue URLs and ARNs, as ElasticMQ and LocalStack use. */
  public static final String ACCOUNT_ID = "000000000000";

  static {
    // Pekko stops its actor systems from a JVM shutdown hook of its own, which runs at the same
    // time as every other hook: a local cloud still draining its workers would lose SQS under
    // them. close() stops ElasticMQ, in its owner's order; the JVM ending stops it anyway.
    if (System.getProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook") == null) {
      System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    }
  }

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMqServer(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /**
   * Starts ElasticMQ on {@code host}:{@code port} ({@code 0} = a free port) and waits until it
   * accepts connections.
   *
   * @throws ConfigException when the port is taken
   */
  public static ElasticMqServer start(String host, int port, String region) {
    return start(host, port, region, null);
  }

  /**
   * As {@link #start(String, int, String)}, with queue URLs naming {@code advertised} (the endpoint
   * clients reach it at, when something stands in front of it) instead of its own address.
   */
  public static ElasticMqServer start(String host, int port, String region, URI advertised) {
    Objects.requireNonNull(host, "host");
    NodeAddress address =
        advertised == null
            ? null
            : NodeAddress.apply(
                advertised.getScheme(), advertised.getHost(), advertised.getPort(), "");
    SQSRestServer server = GuardedSqsServer.start(host, port, address, region, ACCOUNT_ID);
    try {
      Http.ServerBinding binding = server.waitUntilStarted();
      InetSocketAddress bound = binding.localAddress();
      URI endpoint = URI.create("http://" + host + ":" + bound.getPort());
      log.debug("ElasticMQ listening at {}", endpoint);
      return new ElasticMqServer(server, endpoint);
    } catch (RuntimeException e) {
      stopQuietly(server);
      if (causedByBind(e)) {
        throw portTaken(host, port, e);
      }
      throw e;
    }
  }

  /**
   * As {@link #start(String, int, String, URI)}, on the first free port of {@link
   * BrowserBlockedPorts}: besides refusing requests from web pages, it listens where no browser
   * connects at all, so such a request never even arrives.
   */
  public static ElasticMqServer startWhereNoBrowserReaches(
      String host, String region, URI advertised) {
    for (int after = 0; ; ) {
      int port = BrowserBlockedPorts.free(host, after);
      try {
        return start(host, port, region, advertised);
      } catch (ConfigException taken) {
        log.debug("ElasticMQ: port {} was taken before it listened; trying the next", port);
        after = port;
      }
    }
  }

  /** The error for an SQS port that is taken: what to do about it. */
  static ConfigException portTaken(String host, int port, Throwable cause) {
    return new ConfigException(
        "cannot start the local SQS stand-in: "
            + host
            + ":"
            + port
            + " is already in use (is another 'surge up' running?); stop that process or"
            + " choose another port with --sqs-port",
        cause);
  }

  /** The SQS endpoint, e.g. {@code http://127.0.0.1:9324}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Stops the server and its actor system; waits until both are down. */
  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(SQSRestServer server) {
    try {
      server.stopAndWait();
    } catch (RuntimeException e) {
      log.debug("ElasticMQ stop: {}", e.toString());
    }
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
