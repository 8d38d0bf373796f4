package dev.surge.dashboard;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.surge.core.LoopbackRequests;
import java.io.IOException;

/**
 * Lets through only what a read-only page needs: {@code GET}, and, while the server listens on
 * loopback, only what {@link LoopbackRequests} lets through: requests addressed to a loopback name
 * (a page on another site that rebinds its DNS name to 127.0.0.1 sends its own name as {@code
 * Host}), with a plain path, and from no web page but the dashboard's own.
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
    if (loopbackOnly) {
      var h = exchange.getRequestHeaders();
      // A link from another site may open the read-only page (a navigation cannot read it across
      // sites); everything the page then loads is same-origin.
      boolean navigation = "navigate".equalsIgnoreCase(h.getFirst("Sec-Fetch-Mode"));
      var refused =
          LoopbackRequests.refusal(
              true,
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString(),
              h.getFirst("Host"),
              h.getFirst("Origin"),
              navigation ? null : h.getFirst("Sec-Fetch-Site"));
      if (refused.isPresent()) {
        Responses.error(exchange, 403, refused.get());
        return;
      }
    }
    chain.doFilter(exchange);
  }

  @Override
  public String description() {
    return "GET only; loopback Host names only on a loopback server";
  }

  /** The name part of a Host header ({@code name[:port]} or {@code [v6][:port]}). */
  static String hostName(String header) {
    return LoopbackRequests.hostName(header);
  }

  /** Whether {@code name} can only mean this machine. */
  static boolean isLoopbackName(String name) {
    return LoopbackRequests.isLoopbackName(name);
  }
}
