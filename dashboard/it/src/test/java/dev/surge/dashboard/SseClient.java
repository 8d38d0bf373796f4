package dev.surge.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal Server-Sent Events reader for tests: frames as the spec splits them. */
final class SseClient implements AutoCloseable {
  /**
   * One frame: an event (id, event, data) or a comment (event {@code ":"}, data its text), or the
   * end of the stream (event {@code "<end>"}).
   */
  record Frame(String id, String event, String data) {
    boolean isEvent() {
      return !event.equals(":") && !event.equals("<end>");
    }
  }

  private static final Frame END = new Frame(null, "<end>", null);

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code uri} with the extra request headers; returns once the headers arrived. */
  static SseClient open(HttpClient http, URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    headers.forEach(request::header);
    return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  /** The next frame of any kind, or an AssertionError after {@code timeout}. */
  Frame nextFrame(Duration timeout) throws InterruptedException {
    Frame f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (f == null) {
      throw new AssertionError("no frame within " + timeout);
    }
    return f;
  }

  /** The next event frame (skipping comments and the retry hint). */
  Frame nextEvent(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (f == null) {
        throw new AssertionError("no event within " + timeout);
      }
      if (f == END) {
        throw new AssertionError("the stream ended while waiting for an event");
      }
      if (f.isEvent()) {
        return f;
      }
    }
  }

  /** Whether nothing but comments arrives for {@code quiet}. */
  boolean noEventFor(Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + quiet.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
      if (f != null && (f.isEvent() || f == END)) {
        return false;
      }
    }
  }

  /** Waits for the end of the stream; true if it ended within {@code timeout}. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == END) {
        return true;
      }
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = "";
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null || !event.isEmpty() || id != null) {
            frames.add(
                new Frame(
                    id,
                    event.isEmpty() ? "message" : event,
                    data == null ? null : data.toString()));
          }
          id = null;
          event = "";
          data = null;
        } else if (line.startsWith(":")) {
          frames.add(new Frame(null, ":", line.substring(1).trim()));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
          switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
              // retry: and unknown fields carry no event.
            }
          }
        }
      }
    } catch (IOException e) {
      // Closed by the test or by the server: the end either way.
    } finally {
      frames.add(END);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // Already gone.
    }
  }
}
