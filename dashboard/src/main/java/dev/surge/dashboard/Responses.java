package dev.surge.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes whole responses; every one carries the same defensive headers. */
final class Responses {
  private Responses() {}

  /** Sends {@code body} with {@code status} and {@code contentType}, then closes the exchange. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      common(exchange);
      // A HEAD response has no body, and the JDK's server wants it announced as such.
      boolean bodyless = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, bodyless ? -1 : body.length);
      if (!bodyless) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Sends a JSON document, never cached. */
  static void json(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json; charset=utf-8", body);
  }

  /** Sends a one-line plain-text error. */
  static void error(HttpExchange exchange, int status, String message) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Headers every response gets: no MIME sniffing, no referrer, no framing by other sites. */
  static void common(HttpExchange exchange) {
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
  }
}
