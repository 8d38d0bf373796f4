package dev.surge.standins;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.surge.aws.PlainHttp;
import dev.surge.core.LoopbackRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * An HTTP server on one local interface that passes requests to a server behind it, for the proxies
 * that change a few of its answers ({@link ThrottlingProxy}, {@link SqsBoundary}). Every header
 * passes both ways except those that belong to one hop.
 */
final class HttpRelay implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpRelay.class);

  /** Headers the relay sets itself or that belong to one hop only. */
  private static final Set<String> HOP =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "proxy-connection");

  static {
    // The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise; with the client's
    // delayed ACKs every small answer would then wait about 40 ms. The JDK reads the setting once
    // per JVM, when its first server is made, so it cannot be set per server: it is set here,
    // before the first relay, and holds for every JDK server of the JVM (the dashboard's too,
    // whose small event answers gain the same). A value given on the command line is kept.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private volatile URI target;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger waiting = new AtomicInteger();
  private final String name;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * Listens on {@code host}:{@code port} (0 = a free port); serves nothing until {@link #start}.
   *
   * @throws java.net.BindException when the port is taken
   */
  HttpRelay(String name, String host, int port) throws IOException {
    this.name = name;
    AtomicLong n = new AtomicLong();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 200);
    } catch (IOException e) {
      executor.shutdownNow();
      throw e;
    }
    server.setExecutor(executor);
  }

  /**
   * Serves every request with {@code handler}, passing on to {@code target}, from now on. A request
   * that {@link LoopbackRequests} refuses (one from a web page, one addressed to a name that is not
   * loopback, or one whose target is not a plain path) gets 403 and never reaches {@code handler}.
   */
  HttpRelay start(URI target, HttpHandler handler) {
    this.target = target;
    server.createContext(
        "/",
        exchange -> {
          Optional<String> refused = refusal(exchange);
          if (refused.isPresent()) {
            try (exchange) {
              body(exchange);
              refuse(exchange, refused.get());
            }
            return;
          }
          handler.handle(exchange);
        });
    server.start();
    return this;
  }

  /** Why the local cloud refuses {@code exchange}, if it does. */
  static Optional<String> refusal(HttpExchange exchange) {
    Headers h = exchange.getRequestHeaders();
    return LoopbackRequests.refusal(
        false,
        exchange.getRequestMethod(),
        exchange.getRequestURI().toString(),
        h.getFirst("Host"),
        h.getFirst("Origin"),
        h.getFirst("Sec-Fetch-Site"));
  }

  private void refuse(HttpExchange exchange, String why) throws IOException {
    if (warned.compareAndSet(false, true)) {
      log.warn("refused a request at {}: {} (refusals are logged once)", name, why);
    }
    byte[] text = ("surge: " + why + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, 403, text);
  }

  /** The port it listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Requests passed to the server behind and not answered yet. */
  int waiting() {
    return waiting.get();
  }

  /** The request's body. */
  static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  /** Passes the request, with {@code body} in place of its own, to the server behind. */
  PlainHttp.Response forward(HttpExchange exchange, byte[] body) throws IOException {
    return forward(target, exchange, body);
  }

  /**
   * Passes the request, with {@code body} in place of its own, to the server at {@code to} (a relay
   * in front of several servers, as the one AWS endpoint is).
   */
  PlainHttp.Response forward(URI to, HttpExchange exchange, byte[] body) throws IOException {
    URI uri = upstream(to, exchange.getRequestURI().getRawPath(), exchange.getRequestURI());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      if (!HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        headers.put(h.getKey(), h.getValue());
      }
    }
    return send(exchange.getRequestMethod(), uri, headers, body);
  }

  /**
   * Sends a request of the relay's own to the server behind: a {@code POST} of {@code body} to its
   * root, with {@code headers}.
   */
  PlainHttp.Response post(Map<String, String> headers, byte[] body) throws IOException {
    Map<String, List<String>> all = new LinkedHashMap<>();
    headers.forEach((k, v) -> all.put(k, List.of(v)));
    return send("POST", upstream(target, "/", target), all, body);
  }

  // PlainHttp (HttpURLConnection), not java.net.http, whose client cost each JVM with a local cloud
  // about half a CPU second to make.
  private PlainHttp.Response send(
      String method, URI uri, Map<String, List<String>> headers, byte[] body) throws IOException {
    waiting.incrementAndGet();
    try {
      return PlainHttp.send(method, uri, headers, body, CONNECT_TIMEOUT, READ_TIMEOUT);
    } finally {
      waiting.decrementAndGet();
    }
  }

  /**
   * The address to pass a request for {@code path} to: always the server behind, whatever the path
   * says ({@link URI#resolve} would take {@code //host/...} as another server).
   */
  static URI upstream(URI target, String path, URI request) {
    if (path == null || !path.startsWith("/") || path.startsWith("//")) {
      throw new IllegalArgumentException("not a plain path: " + request);
    }
    String query = request.getRawQuery();
    return URI.create(
        target.getScheme()
            + "://"
            + target.getRawAuthority()
            + path
            + (query == null ? "" : "?" + query));
  }

  /** Answers with the server's status and headers, and {@code body}. */
  static void relay(HttpExchange exchange, PlainHttp.Response response, byte[] body)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    response
        .headers()
        .forEach(
            (k, v) -> {
              String lower = k.toLowerCase(Locale.ROOT);
              // No CORS grant of the server behind passes: the local cloud grants none.
              if (!HOP.contains(lower)
                  && !k.startsWith(":")
                  && !lower.startsWith("access-control-")) {
                out.put(k, v);
              }
            });
    send(exchange, response.statusCode(), body);
  }

  /**
   * Answers {@code body} as an AWS JSON service does: its content type, a request id, and the
   * body's CRC32 in {@code x-amz-crc32} (which DynamoDB's SDK clients check).
   */
  static void reply(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", type);
    out.set("x-amzn-RequestId", UUID.randomUUID().toString());
    CRC32 crc = new CRC32();
    crc.update(body);
    out.set("x-amz-crc32", Long.toString(crc.getValue()));
    send(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  /** Stops listening; requests in flight are dropped. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
