package dev.surge.dashboard;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Locale;

/**
 * Lets through only what a read-only page needs: {@code GET}, and, while the server listens on
 * loopback, only requests addressed to a loopback name (a page on another site that rebinds its DNS
 * name to 127.0.0.1 sends its own name as {@code Host}, and is refused).
 */
final class RequestFilter extends Filter {
  private final boolean loopbackOnly;

  /** A filter; {@code loopbackOnly} when the server is bound to a loopback address. */
  RequestFilter(boolean loopbackOnly) {
    this.loopbackOnly = loopbackOnly;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      Responses.error(exchange, 405, "the dashboard is read-only: GET only");
      return;
    }
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (loopbackOnly && host != null && !isLoopbackName(hostName(host))) {
      Responses.error(exchange, 403, "this dashboard answers to localhost or 127.0.0.1 only");
      return;
    }
    chain.doFilter(exchange);
  }

  @Override
  public String description() {
    return "GET only; loopback Host names only on a loopback server";
  }

  /** The name part of a Host header ({@code name[:port]} or {@code [v6][:port]}). */
  static String hostName(String header) {
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** Whether {@code name} can only mean this machine. */
  static boolean isLoopbackName(String name) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || name.equals("::1")
        || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
