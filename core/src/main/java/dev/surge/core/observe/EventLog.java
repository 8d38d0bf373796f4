package dev.surge.core.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The ordered record of a run's {@link PipelineEvent}s: every part publishes here; viewers
 * (dashboard, terminal, summary) subscribe. Each event gets a sequence number (1, 2, ...) so a
 * viewer that reconnects can ask for what it missed. Publishing is serialized, so every subscriber
 * sees events in the same order. Thread-safe.
 */
public final class EventLog {
  private final List<Sequenced> history = new ArrayList<>();
  private final List<Consumer<Sequenced>> subscribers = new CopyOnWriteArrayList<>();
  private final int capacity;
  private long next = 1;

  /** Keeps at most {@code capacity} events (oldest dropped first). */
  public EventLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  /** Records {@code event} and hands it to every subscriber, in publication order. */
  public void publish(PipelineEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (this) {
      Sequenced s = new Sequenced(next++, event);
      history.add(s);
      if (history.size() > capacity) {
        history.remove(0);
      }
      for (Consumer<Sequenced> subscriber : subscribers) {
        try {
          subscriber.accept(s);
        } catch (RuntimeException e) {
          // A broken viewer must not break the pipeline.
        }
      }
    }
  }

  /**
   * Subscribes {@code subscriber}, first replaying the kept events with a sequence number above
   * {@code after} (0 = all), atomically with respect to {@link #publish}. Returns an unsubscribe
   * action.
   */
  public Runnable subscribe(long after, Consumer<Sequenced> subscriber) {
    synchronized (this) {
      for (Sequenced s : history) {
        if (s.sequence() > after) {
          subscriber.accept(s);
        }
      }
      subscribers.add(subscriber);
    }
    return () -> subscribers.remove(subscriber);
  }

  /** The kept events, oldest first. */
  public synchronized List<Sequenced> events() {
    return List.copyOf(history);
  }

  /** The last event of a given type, if any was kept. */
  public synchronized <T extends PipelineEvent> java.util.Optional<T> last(Class<T> type) {
    for (int i = history.size() - 1; i >= 0; i--) {
      PipelineEvent e = history.get(i).event();
      if (type.isInstance(e)) {
        return java.util.Optional.of(type.cast(e));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * An event with its sequence number.
   *
   * @param sequence 1 for the first event of the log, then increasing by one
   * @param event the event
   */
  public record Sequenced(long sequence, PipelineEvent event) {}
}
