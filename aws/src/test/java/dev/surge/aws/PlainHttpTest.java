package dev.surge.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PlainHttp} against the JDK's HTTP server on the loopback interface. */
class PlainHttpTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              String.join(
                  " ",
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                  exchange.getRequestHeaders().getFirst("Accept"),
                  body));
          switch (exchange.getRequestURI().getPath()) {
            case "/task" -> answer(exchange, 200, "{\"TaskARN\":\"arn:aws:ecs:x:1:task/c/abc\"}");
            case "/moved" -> {
              exchange.getResponseHeaders().set("Location", "/task");
              answer(exchange, 302, "");
            }
            default -> answer(exchange, 404, "no such thing");
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Test
  void getReturnsTheStatusAndTheBody() throws IOException {
    PlainHttp.Response r = PlainHttp.get(uri("/task"), TIMEOUT);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("{\"TaskARN\":\"arn:aws:ecs:x:1:task/c/abc\"}");
    assertThat(r.header("content-length")).contains(Integer.toString(r.body().length));
    // No Accept asked for: */*, not the connection's own list of types.
    assertThat(seen).containsExactly("GET /task null */* ");
  }

  @Test
  void anErrorStatusComesBackWithItsBodyNotAsAnException() throws IOException {
    PlainHttp.Response r = PlainHttp.get(uri("/nothing"), TIMEOUT);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.text()).isEqualTo("no such thing");
  }

  @Test
  void aRedirectIsNotFollowed() throws IOException {
    assertThat(PlainHttp.get(uri("/moved"), TIMEOUT).statusCode()).isEqualTo(302);
    assertThat(seen).containsExactly("GET /moved null */* ");
  }

  @Test
  void aPostSendsItsHeadersAndBodyOnce() throws IOException {
    PlainHttp.Response r =
        PlainHttp.send(
            "POST",
            uri("/"),
            Map.of(
                "X-Amz-Target", List.of("DynamoDB_20120810.ListTables"),
                "Accept", List.of("application/json")),
            "{}".getBytes(StandardCharsets.UTF_8),
            TIMEOUT,
            TIMEOUT);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(seen).containsExactly("POST / DynamoDB_20120810.ListTables application/json {}");
  }

  @Test
  void aClosedPortIsAnIoExceptionAndHttpsIsRefused() {
    int port = server.getAddress().getPort();
    server.stop(0);
    assertThatThrownBy(
            () -> PlainHttp.get(URI.create("http://127.0.0.1:" + port + "/task"), TIMEOUT))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> PlainHttp.get(URI.create("https://127.0.0.1:1/"), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a plain http URI");
  }
}
