package dev.surge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.observe.EventLog.Sequenced;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open Server-Sent Events stream. The event log hands events in through {@link #offer} (on the
 * publisher's thread, so it never blocks); the stream's own thread writes them out in {@link
 * #pump}, each burst followed, if the stream was asked for them, by the state folded so far (an
 * {@code event: snapshot}).
 */
final class EventStream {
  /** Events a slow browser may lag behind before its stream is cut (it resumes from the log). */
  static final int BACKLOG = 10_000;

  private static final Object CLOSE = new Object();

  private final BlockingQueue<Object> pending = new LinkedBlockingQueue<>(BACKLOG);
  private final ObjectMapper mapper;
  private final Duration heartbeat;
  private final Optional<SnapshotBuilder> snapshots;
  private volatile boolean closed;
  private volatile boolean overflowed;

  /**
   * A stream writing JSON with {@code mapper}, with a comment line every {@code heartbeat}; with
   * {@code snapshots}, each burst of events is followed by the state it has folded.
   */
  EventStream(ObjectMapper mapper, Duration heartbeat, Optional<SnapshotBuilder> snapshots) {
    this.mapper = mapper;
    this.heartbeat = heartbeat;
    this.snapshots = snapshots;
  }

  /** Queues an event for writing; never blocks. */
  void offer(Sequenced event) {
    if (!pending.offer(event)) {
      overflowed = true;
    }
  }

  /** Ends the stream soon, whatever it is doing. */
  void close() {
    closed = true;
    pending.offer(CLOSE);
  }

  /**
   * Writes queued events to {@code out} until the stream is closed (after the events queued before
   * the close), falls too far behind, or the browser goes away (the write fails).
   */
  void pump(OutputStream out) throws IOException {
    // Reconnect after 1 s rather than the browser's default 3 s.
    write(out, "retry: 1000\n\n");
    out.flush();
    long heartbeatMillis = heartbeat.toMillis();
    while (!overflowed) {
      Object next;
      try {
        // Once closed, only what is already queued is written: wait no more.
        next = pending.poll(closed ? 0 : heartbeatMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next == null) {
        if (closed) {
          return; // the close's marker did not fit in a full queue: all before it is written
        }
        write(out, ": keep-alive\n\n");
      } else {
        // Write what is already waiting before one flush: a burst costs one network write.
        boolean wrote = false;
        while (next != null && next != CLOSE) {
          write(out, frame((Sequenced) next));
          wrote = true;
          next = pending.poll();
        }
        if (wrote && snapshots.isPresent()) {
          write(out, snapshotFrame(snapshots.get()));
        }
        if (next == CLOSE) {
          out.flush();
          return;
        }
      }
      out.flush();
    }
  }

  /** Tells the browser its last id belongs to another run: it should start over. */
  void reset(OutputStream out, long lastSequence) throws IOException {
    write(out, "event: reset\ndata: {\"lastSequence\":" + lastSequence + "}\n\n");
  }

  private String frame(Sequenced s) throws IOException {
    // Jackson writes JSON on one line, so one data: line carries it.
    return "id: "
        + s.sequence()
        + "\nevent: "
        + s.event().type()
        + "\ndata: "
        + mapper.writeValueAsString(EventJson.of(s))
        + "\n\n";
  }

  /**
   * The state folded so far, at or past the burst's last event: the builder folds every event
   * before any stream is handed it. No id, so the browser's Last-Event-ID stays the last event's.
   */
  private String snapshotFrame(SnapshotBuilder builder) throws IOException {
    return "event: snapshot\ndata: "
        + mapper.writeValueAsString(SnapshotJson.of(builder.snapshot()))
        + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
