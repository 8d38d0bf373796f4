package dev.surge.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@code GET} over plain HTTP, for the short reads Surge makes of a server it knows (a task's
 * metadata endpoint, the local cloud's dashboard): through {@link HttpURLConnection}, which costs a
 * JVM a few hundredths of a CPU second on its first call where the JDK's {@code java.net.http}
 * client costs about half a second (its start-up, and the default TLS context it reads the trust
 * store for even when every call is plain HTTP). No redirect is followed.
 */
public final class PlainHttp {
  private PlainHttp() {}

  /** A status and the body, as text. */
  public record Response(int status, String body) {
    /** Requires the body. */
    public Response {
      Objects.requireNonNull(body, "body");
    }
  }

  /** {@code GET uri}, waiting at most {@code timeout} to connect and again to read. */
  public static Response get(URI uri, Duration timeout) throws IOException {
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a plain http URI: " + uri);
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try {
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout(millis);
      c.setReadTimeout(millis);
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Response(status, text);
      }
    } finally {
      c.disconnect();
    }
  }
}
