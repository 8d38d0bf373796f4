package dev.surge.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Requests over plain HTTP to a server Surge knows (a task's metadata endpoint, the local cloud's
 * dashboard, a stand-in, the server behind one of the local cloud's relays), through {@link
 * HttpURLConnection}: it costs a JVM a few hundredths of a CPU second on its first call where the
 * JDK's {@code java.net.http} client costs about half a second (its start-up, and the default TLS
 * context it reads the trust store for even when every call is plain HTTP). No redirect is
 * followed; a body of known length is streamed, so a request is never sent twice; a connection is
 * kept for the next request once its answer has been read.
 */
public final class PlainHttp {
  private PlainHttp() {}

  /** The status, the headers (not the status line) and the body of an answer. */
  public record Response(int statusCode, Map<String, List<String>> headers, byte[] body) {
    /** Requires every part. */
    public Response {
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
    }

    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of header {@code name}, whatever its case. */
    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
    }
  }

  /** {@code GET uri}, waiting at most {@code timeout} to connect and again to read. */
  public static Response get(URI uri, Duration timeout) throws IOException {
    return send("GET", uri, Map.of(), new byte[0], timeout, timeout);
  }

  /**
   * {@code method} on {@code uri} with {@code headers} and {@code body} (sent when not empty, and
   * always for {@code POST} and {@code PUT}). A request without {@code Accept} is sent with {@code
   * Accept: *}{@code /*}, what no {@code Accept} means, not the connection's own list of types.
   *
   * @throws IllegalArgumentException if {@code uri} is not {@code http}
   * @throws IOException if no answer came
   */
  public static Response send(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      Duration connectTimeout,
      Duration readTimeout)
      throws IOException {
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a plain http URI: " + uri);
    }
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout(millis(connectTimeout));
    c.setReadTimeout(millis(readTimeout));
    c.setUseCaches(false);
    c.setRequestMethod(method);
    headers.forEach((k, values) -> values.forEach(v -> c.addRequestProperty(k, v)));
    if (c.getRequestProperty("Accept") == null) {
      c.setRequestProperty("Accept", "*/*");
    }
    if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream os = c.getOutputStream()) {
        os.write(body);
      }
    }
    int status = c.getResponseCode();
    Map<String, List<String>> answered = new LinkedHashMap<>();
    c.getHeaderFields()
        .forEach(
            (k, v) -> {
              if (k != null) {
                answered.put(k, v);
              }
            });
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      return new Response(status, answered, in == null ? new byte[0] : in.readAllBytes());
    }
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
