package dev.surge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.EventLog.Sequenced;
import java.io.IOException;

/** {@code /api/snapshot} (the folded state) and {@code /api/events?after=N} (the kept events). */
final class ApiHandler implements HttpHandler {
  private final EventLog log;
  private final SnapshotBuilder snapshots;
  private final ObjectMapper mapper;

  /** Serves from {@code log} and {@code snapshots}, writing with {@code mapper}. */
  ApiHandler(EventLog log, SnapshotBuilder snapshots, ObjectMapper mapper) {
    this.log = log;
    this.snapshots = snapshots;
    this.mapper = mapper;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/api/snapshot" ->
          Responses.json(exchange, mapper.writeValueAsBytes(SnapshotJson.of(snapshots.snapshot())));
      case "/api/events" -> events(exchange);
      default -> Responses.error(exchange, 404, "no such API: " + path);
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    long after;
    try {
      after = Query.after(exchange.getRequestURI().getRawQuery()).orElse(0L);
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, 400, e.getMessage());
      return;
    }
    ArrayNode array = mapper.createArrayNode();
    for (Sequenced s : log.events()) {
      if (s.sequence() > after) {
        array.add(EventJson.of(s));
      }
    }
    Responses.json(exchange, mapper.writeValueAsBytes(array));
  }
}
