package dev.surge.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page and its assets, read once from the jar. Only the listed paths are served, so no request
 * path ever reaches a resource lookup.
 */
final class StaticAssets implements HttpHandler {
  private static final String ROOT = "/dev/surge/dashboard/web/";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  // The page loads only its own files; no inline script, nothing from elsewhere.
  private static final String POLICY =
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
          + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  /** The page's script: {@code app.js} and the modules it imports, one idea each. */
  static final List<String> SCRIPTS =
      List.of(
          "app.js",
          "snapshot.js",
          "timeline.js",
          "highlight.js",
          "event-log.js",
          "boxes.js",
          "summary.js",
          "charts.js",
          "stream.js",
          "dom.js",
          "format.js");

  private final Map<String, Asset> assets;

  /** Loads every asset; fails if one is missing from the jar. */
  StaticAssets() {
    Asset index = load("index.html", HTML);
    Map<String, Asset> byPath = new HashMap<>();
    byPath.put("/", index);
    byPath.put("/index.html", index);
    for (String script : SCRIPTS) {
      byPath.put("/" + script, load(script, JS));
    }
    byPath.put("/app.css", load("app.css", CSS));
    byPath.put("/vendor/uplot/uPlot.iife.min.js", load("vendor/uplot/uPlot.iife.min.js", JS));
    byPath.put("/vendor/uplot/uPlot.min.css", load("vendor/uplot/uPlot.min.css", CSS));
    byPath.put("/vendor/uplot/LICENSE", load("vendor/uplot/LICENSE", TEXT));
    this.assets = Map.copyOf(byPath);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Asset asset = assets.get(exchange.getRequestURI().getPath());
    if (asset == null) {
      Responses.error(exchange, 404, "no such page: " + exchange.getRequestURI().getPath());
      return;
    }
    // Revalidate on every load: a new jar must not meet an old script in the browser's cache.
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
    Responses.send(exchange, 200, asset.contentType(), asset.bytes());
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + ROOT + name);
      }
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard asset " + name, e);
    }
  }

  private record Asset(String contentType, byte[] bytes) {}
}
