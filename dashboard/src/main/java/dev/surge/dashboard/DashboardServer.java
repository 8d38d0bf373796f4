package dev.surge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.surge.core.observe.EventLog;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live web page of a run, served by the JDK's HTTP server from an {@link EventLog}:
 *
 * <ul>
 *   <li>{@code GET /} the page, and its scripts and styles (all from the jar);
 *   <li>{@code GET /events} every event as Server-Sent Events, resumable with {@code Last-Event-ID}
 *       or {@code ?after=N}; with {@code ?snapshots=1}, each burst followed by the folded state;
 *   <li>{@code GET /api/snapshot} the state folded from the events, as JSON;
 *   <li>{@code GET /api/events?after=N} the kept events, as a JSON array.
 * </ul>
 *
 * Read-only: any other method gets 405. Binds to loopback unless the options name another host.
 */
public final class DashboardServer implements AutoCloseable {
  private final EventLog log;
  private final DashboardOptions options;
  private final ObjectMapper mapper = new ObjectMapper();
  private final SnapshotBuilder snapshots;
  private HttpServer server;
  private ExecutorService executor;
  private volatile EventStreamHandler streams;
  private Runnable unsubscribe;
  private boolean closed;

  /** A server for {@code log}; nothing is bound until {@link #start()}. */
  public DashboardServer(EventLog log, DashboardOptions options) {
    this.log = Objects.requireNonNull(log, "log");
    this.options = Objects.requireNonNull(options, "options");
    this.snapshots = new SnapshotBuilder(options.target(), options.names());
  }

  /**
   * Binds the host and port of the options and starts serving.
   *
   * @return this server
   * @throws IOException if the address cannot be bound (the message says which and what to do)
   * @throws IllegalStateException if it was started before
   */
  public synchronized DashboardServer start() throws IOException {
    if (server != null || closed) {
      throw new IllegalStateException("a dashboard server starts once");
    }
    InetAddress address = InetAddress.getByName(options.host());
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(address, options.port()), 0);
    } catch (BindException e) {
      throw new IOException(
          "cannot serve the dashboard on "
              + options.host()
              + ":"
              + options.port()
              + " ("
              + e.getMessage()
              + "); choose another port, or 0 for any free one",
          e);
    }
    // The builder sees every event from here on, including the ones the log still keeps.
    unsubscribe = log.subscribe(0, snapshots);
    executor = Executors.newCachedThreadPool(daemonThreads());
    streams =
        new EventStreamHandler(log, snapshots, mapper, options.heartbeat(), options.maxStreams());
    RequestFilter filter = new RequestFilter(address.isLoopbackAddress());
    route(http, "/", new StaticAssets(), filter);
    route(http, "/api/", new ApiHandler(log, snapshots, mapper), filter);
    route(http, "/events", streams, filter);
    http.setExecutor(executor);
    http.start();
    server = http;
    return this;
  }

  private static void route(
      HttpServer http, String path, HttpHandler handler, RequestFilter filter) {
    HttpContext context = http.createContext(path, handler);
    context.getFilters().add(filter);
  }

  /** The address served, with the actual port (useful after asking for port 0). */
  public synchronized InetSocketAddress address() {
    requireStarted();
    return server.getAddress();
  }

  /** The port served (the actual one, after asking for port 0). */
  public int port() {
    return address().getPort();
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The state folded from the events so far (what {@code /api/snapshot} returns). */
  public Snapshot snapshot() {
    return snapshots.snapshot();
  }

  /**
   * Ends every open event stream, stops listening and waits (briefly) for the request threads. Safe
   * to call more than once, and before {@link #start()}.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (server == null) {
      return;
    }
    try {
      // The streams end before the builder stops folding: a stream's last snapshot then holds
      // every event the stream wrote.
      streams.close(Duration.ofSeconds(1));
      unsubscribe.run();
      // Not stop(1): the JDK's server then waits the whole second when no exchange is open.
      server.stop(0);
      executor.shutdown();
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      unsubscribe.run();
      server.stop(0);
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  /** How many event streams are open now (for tests and the terminal view). */
  public int openStreams() {
    return streams == null ? 0 : streams.openStreams();
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("the dashboard is not serving; call start() first");
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "dashboard-http-" + n.incrementAndGet());
      // The page must never keep a finished run's JVM alive.
      t.setDaemon(true);
      return t;
    };
  }
}
