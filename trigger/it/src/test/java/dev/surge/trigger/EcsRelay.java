package dev.surge.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.surge.testing.AwsStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP relay in front of moto's ECS that records each call and can make the next {@code
 * RunTask} go wrong the ways a real one can: its tasks start but its answer comes late, or is a
 * server error, or the request is refused before anything starts.
 *
 * <p>It also gives {@code RunTask} the idempotency ECS documents for its {@code clientToken} (a
 * retry with the same token and parameters performs no further action and gets the original
 * request's result; ECS API Reference, "Ensuring idempotency"), which moto 5.2.1 ignores (every
 * call starts tasks): a request whose token was seen is not passed to moto again but answered as
 * the first one was, so an SDK retry starts nothing twice here either.
 */
final class EcsRelay implements AutoCloseable {
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

  /** One ECS call as the relay saw it. */
  record Call(String operation, JsonNode request, Instant arrived, Instant answered, int status) {}

  /** What the next {@code RunTask} with a new {@code clientToken} meets. */
  private sealed interface Fault {}

  /** Started, then answered (the same for every retry) only after {@code delay}. */
  private record Late(Duration delay) implements Fault {}

  /** Started, then answered with an error (the same for every retry). */
  private record StartedButFailed(int status, String type) implements Fault {}

  /** Refused before anything started. */
  private record Refused(int status, String type) implements Fault {}

  /** An answer as sent, kept for the retries of the same token. */
  private record Answer(int status, Map<String, List<String>> headers, byte[] body, Fault fault) {}

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<JsonNode> runTasksArrived = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> byToken = new ConcurrentHashMap<>();
  private final AtomicReference<Fault> next = new AtomicReference<>();

  private EcsRelay(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A relay to the ECS endpoint {@code target}. */
  static EcsRelay to(URI target) {
    try {
      return new EcsRelay(target);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for a relay to " + target, e);
    }
  }

  /** The relay's endpoint, for {@code AWS_ENDPOINT_URL_ECS}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The calls seen so far, in the order they arrived. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many {@code RunTask} requests for {@code startedBy} arrived, answered or not. */
  int runTasksArrived(String startedBy) {
    return (int)
        runTasksArrived.stream()
            .filter(r -> startedBy.equals(r.path("startedBy").asText()))
            .count();
  }

  /** The next {@code RunTask} starts its tasks, but its answer comes only after {@code delay}. */
  void nextRunTaskAnswersAfter(Duration delay) {
    next.set(new Late(delay));
  }

  /** The next {@code RunTask} starts its tasks, then answers HTTP {@code status} {@code type}. */
  void nextRunTaskStartsThenFails(int status, String type) {
    next.set(new StartedButFailed(status, type));
  }

  /** The next {@code RunTask} is refused with HTTP {@code status} {@code type}: nothing starts. */
  void nextRunTaskIsRefused(int status, String type) {
    next.set(new Refused(status, type));
  }

  private void handle(HttpExchange exchange) throws IOException {
    Instant arrived = Instant.now();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
    JsonNode request = AwsStub.read(new String(body, StandardCharsets.UTF_8));
    Answer answer;
    try {
      answer =
          operation.equals("RunTask")
              ? runTask(exchange, body, request)
              : forward(exchange, body, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
      return;
    }
    if (answer.fault() instanceof Late late) {
      try {
        Thread.sleep(late.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.close();
        return;
      }
    }
    try {
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, v));
      exchange.sendResponseHeaders(answer.status(), answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    } catch (IOException gone) {
      // The client gave up waiting (its timeout): what ECS would see of a late answer.
    } finally {
      calls.add(new Call(operation, request, arrived, Instant.now(), answer.status()));
      exchange.close();
    }
  }

  private Answer runTask(HttpExchange exchange, byte[] body, JsonNode request)
      throws IOException, InterruptedException {
    runTasksArrived.add(request);
    String token = request.path("clientToken").asText("");
    Answer seen = token.isEmpty() ? null : byToken.get(token);
    if (seen != null) {
      return seen;
    }
    Fault fault = next.getAndSet(null);
    Answer answer;
    if (fault instanceof Refused r) {
      answer = error(r.status(), r.type(), fault);
    } else {
      Answer started = forward(exchange, body, fault);
      answer = fault instanceof StartedButFailed f ? error(f.status(), f.type(), fault) : started;
    }
    if (!token.isEmpty()) {
      byToken.put(token, answer);
    }
    return answer;
  }

  private Answer forward(HttpExchange exchange, byte[] body, Fault fault)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (k, values) -> {
              if (!HOP.contains(k.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(k, v));
              }
            });
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    r.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (!HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                headers.put(k, v);
              }
            });
    return new Answer(r.statusCode(), headers, r.body(), fault);
  }

  private static Answer error(int status, String type, Fault fault) {
    byte[] body =
        ("{\"__type\":\"" + type + "\",\"message\":\"injected by the test's relay\"}")
            .getBytes(StandardCharsets.UTF_8);
    return new Answer(
        status,
        Map.of(
            "Content-Type", List.of("application/x-amz-json-1.1"),
            "x-amzn-RequestId", List.of("relay-" + status)),
        body,
        fault);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
