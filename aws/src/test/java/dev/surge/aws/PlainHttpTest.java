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
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
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
    assertThat(PlainHttp.get(uri("/task"), TIMEOUT))
        .isEqualTo(new PlainHttp.Response(200, "{\"TaskARN\":\"arn:aws:ecs:x:1:task/c/abc\"}"));
    assertThat(seen).containsExactly("GET /task ");
  }

  @Test
  void anErrorStatusComesBackWithItsBodyNotAsAnException() throws IOException {
    assertThat(PlainHttp.get(uri("/nothing"), TIMEOUT))
        .isEqualTo(new PlainHttp.Response(404, "no such thing"));
  }

  @Test
  void aRedirectIsNotFollowed() throws IOException {
    assertThat(PlainHttp.get(uri("/moved"), TIMEOUT).status()).isEqualTo(302);
    assertThat(seen).containsExactly("GET /moved ");
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
