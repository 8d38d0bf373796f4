package dev.surge.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The rule every server of the local cloud applies before anything else, so that a web page the
 * user visits can neither drive nor read it. SDKs and command-line tools send no {@code Origin} and
 * no {@code Sec-Fetch-Site} and address the server by a loopback name; a browser marks every
 * cross-site request with at least one of those headers, and a page that rebinds its own DNS name
 * to 127.0.0.1 still sends that name as {@code Host}. So a request is refused when:
 *
 * <ul>
 *   <li>its target is not a plain path ({@code /...}): an absolute URL in the request line, or a
 *       path starting with {@code //}, would name another server to a relay;
 *   <li>its {@code Host} is missing or not a loopback name ({@code localhost}, {@code *.localhost},
 *       {@code 127.x.x.x}, {@code [::1]});
 *   <li>it carries an {@code Origin} (including {@code null}) other than the server's own page's,
 *       or a {@code Sec-Fetch-Site} other than {@code none} or, for a server with pages of its own,
 *       {@code same-origin};
 *   <li>it is a CORS preflight ({@code OPTIONS}): no server of the local cloud grants CORS.
 * </ul>
 */
public final class LoopbackRequests {
  private LoopbackRequests() {}

  /**
   * Why the request must be refused, or empty to serve it.
   *
   * @param servesPages whether the server has pages of its own (the dashboard), whose requests
   *     carry their own origin ({@code http://<Host>}) and {@code Sec-Fetch-Site: same-origin}
   * @param method the request's method
   * @param target the request line's target, as sent (e.g. {@code /path?query})
   * @param host the {@code Host} header, or null
   * @param origin the {@code Origin} header, or null
   * @param fetchSite the {@code Sec-Fetch-Site} header, or null
   */
  public static Optional<String> refusal(
      boolean servesPages,
      String method,
      String target,
      String host,
      String origin,
      String fetchSite) {
    if (target == null || !target.startsWith("/") || target.startsWith("//")) {
      return Optional.of("only a path is accepted as the request's target, not another address");
    }
    if (host == null || !isLoopbackName(hostName(host))) {
      return Optional.of(
          "this local server answers only requests addressed to localhost or 127.0.0.1"
              + " (Host was "
              + (host == null ? "missing" : "'" + host + "'")
              + ")");
    }
    boolean ownOrigin =
        servesPages
            && origin != null
            && origin.toLowerCase(Locale.ROOT).equals("http://" + host.toLowerCase(Locale.ROOT));
    if (origin != null && !ownOrigin) {
      return Optional.of(
          "requests from web pages (Origin '" + origin + "') are refused by the local cloud");
    }
    if (fetchSite != null) {
      String site = fetchSite.trim().toLowerCase(Locale.ROOT);
      if (!site.equals("none") && !(servesPages && site.equals("same-origin"))) {
        return Optional.of(
            "requests from web pages (Sec-Fetch-Site '" + fetchSite + "') are refused");
      }
    }
    if ("OPTIONS".equalsIgnoreCase(method)) {
      return Optional.of("the local cloud grants no cross-origin access");
    }
    return Optional.empty();
  }

  /** The name part of a Host header ({@code name[:port]} or {@code [v6][:port]}). */
  public static String hostName(String header) {
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** Whether {@code name} can only mean this machine. */
  public static boolean isLoopbackName(String name) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || name.equals("::1")
        || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
