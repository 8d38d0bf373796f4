package dev.surge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.surge.core.observe.EventLog;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /events}: every event of the log as Server-Sent Events, from the point the browser
 * asks for ({@code Last-Event-ID}, which EventSource sends when it reconnects, else {@code
 * ?after=}, else the start); with {@code ?snapshots=1}, each burst of events is followed by the
 * state folded so far. One thread per open stream, up to a cap.
 */
final class EventStreamHandler implements HttpHandler {
  private final EventLog log;
  private final SnapshotBuilder snapshots;
  private final ObjectMapper mapper;
  private final Duration heartbeat;
  private final Semaphore slots;
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Streams {@code log}; {@code snapshots} tells how far the log has gone, and is the state a
   * stream asked for with {@code ?snapshots=1} sends.
   */
  EventStreamHandler(
      EventLog log,
      SnapshotBuilder snapshots,
      ObjectMapper mapper,
      Duration heartbeat,
      int maxStreams) {
    this.log = log;
    this.snapshots = snapshots;
    this.mapper = mapper;
    this.heartbeat = heartbeat;
    this.slots = new Semaphore(maxStreams);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/events")) {
      Responses.error(exchange, 404, "no such stream: " + exchange.getRequestURI().getPath());
      return;
    }
    long after;
    boolean withSnapshots;
    try {
      after = resumePoint(exchange);
      withSnapshots = Query.snapshots(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, 400, e.getMessage());
      return;
    }
    if (closed) {
      Responses.error(exchange, 503, "the dashboard is shutting down");
      return;
    }
    if (!slots.tryAcquire()) {
      Responses.error(exchange, 503, "too many open event streams; close a dashboard tab");
      return;
    }
    try {
      stream(exchange, after, withSnapshots);
    } finally {
      slots.release();
    }
  }

  private void stream(HttpExchange exchange, long after, boolean withSnapshots) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    Responses.common(exchange);
    EventStream stream =
        new EventStream(
            mapper, heartbeat, withSnapshots ? Optional.of(snapshots) : Optional.empty());
    open.add(stream);
    if (closed) {
      stream.close(); // close() ran between the check above and add(): end at once.
    }
    try (exchange) {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      long last = snapshots.lastSequence();
      if (after > last) {
        // An id from another run (the server restarted): start over, and say so.
        stream.reset(out, last);
        after = 0;
      }
      Runnable unsubscribe = log.subscribe(after, stream::offer);
      try {
        stream.pump(out);
      } finally {
        unsubscribe.run();
      }
    } catch (IOException e) {
      // The browser went away; nothing to tell anyone.
    } finally {
      open.remove(stream);
    }
  }

  /** Where to resume: Last-Event-ID wins over ?after= (it is newer when EventSource reconnects). */
  private static long resumePoint(HttpExchange exchange) {
    String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      return Query.sequence("Last-Event-ID", lastEventId);
    }
    return Query.after(exchange.getRequestURI().getRawQuery()).orElse(0L);
  }

  /**
   * Ends every open stream and refuses new ones; waits up to {@code grace} for the streams to write
   * their last bytes and finish their exchanges.
   */
  void close(Duration grace) throws InterruptedException {
    closed = true;
    open.forEach(EventStream::close);
    long deadline = System.nanoTime() + grace.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** How many streams are open now. */
  int openStreams() {
    return open.size();
  }
}
