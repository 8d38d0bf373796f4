package dev.surge.local.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.surge.core.LoopbackRequests;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task metadata endpoint version 4 of the local tasks, on a loopback port: each task of the
 * user's definitions gets {@code ECS_CONTAINER_METADATA_URI_V4=http://127.0.0.1:<port>/v4/<token>};
 * {@code ${uri}} answers its container's metadata and {@code ${uri}/task} its task's, in the shapes
 * Fargate's agent answers ({@link TaskMetadata}). The Docker statistics ({@code /stats}, {@code
 * /task/stats}) are not served. As every server of the local cloud, it binds 127.0.0.1 and answers
 * only what {@link LoopbackRequests} lets through (no web page, a loopback {@code Host}, no CORS),
 * and GET only.
 */
final class TaskMetadataServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskMetadataServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/v4/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Function<String, Optional<TaskDetails>> byToken;
  private final TaskMetadata metadata;

  private TaskMetadataServer(
      HttpServer server,
      ExecutorService executor,
      Function<String, Optional<TaskDetails>> byToken,
      TaskMetadata metadata) {
    this.server = server;
    this.executor = executor;
    this.byToken = byToken;
    this.metadata = metadata;
  }

  /**
   * Serves the metadata of the task whose token {@code byToken} finds, on a free loopback port.
   *
   * @throws UncheckedIOException if no port can be bound
   */
  static TaskMetadataServer start(
      Function<String, Optional<TaskDetails>> byToken, TaskMetadata metadata) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the task metadata endpoint", e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "task-metadata");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    TaskMetadataServer s = new TaskMetadataServer(server, executor, byToken, metadata);
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  /** The {@code ECS_CONTAINER_METADATA_URI_V4} of the task with {@code token}. */
  String uri(String token) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + token;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      Optional<String> refused =
          LoopbackRequests.refusal(
              false,
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              h.getFirst("Host"),
              h.getFirst("Origin"),
              h.getFirst("Sec-Fetch-Site"));
      if (refused.isPresent()) {
        log.warn("refused a request at the task metadata endpoint: {}", refused.get());
        text(exchange, 403, refused.get());
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        text(exchange, 405, "the task metadata endpoint answers GET only");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!path.startsWith(PREFIX)) {
        text(exchange, 404, "no such path: the task metadata is at " + PREFIX + "<token>");
        return;
      }
      String[] parts = path.substring(PREFIX.length()).split("/", 2);
      Optional<TaskDetails> task = byToken.apply(parts[0]);
      if (task.isEmpty()) {
        text(exchange, 404, "no task has this metadata path");
        return;
      }
      String rest = parts.length > 1 ? parts[1] : "";
      switch (rest) {
        case "" -> json(exchange, metadata.container(task.get()));
        case "task" -> json(exchange, metadata.task(task.get()));
        default ->
            text(
                exchange,
                404,
                "'"
                    + rest
                    + "' is not served by the local task metadata endpoint, which serves the"
                    + " container's metadata and /task (no Docker statistics)");
      }
    }
  }

  private static void json(HttpExchange exchange, Object value) throws IOException {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IOException(e);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, 200, body);
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops listening. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
