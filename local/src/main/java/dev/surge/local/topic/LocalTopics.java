package dev.surge.local.topic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The local cloud's SNS topics: the chain's, which the alarm notifies, and the topics made since
 * with {@code CreateTopic}, in the order they were made. Thread-safe.
 */
public final class LocalTopics implements AutoCloseable {
  private final LocalTopic chain;
  private final Function<String, LocalTopic> maker;
  private final Object lock = new Object();
  // Guarded by lock: the topics made later, by name, in the order they were made.
  private final Map<String, LocalTopic> others = new LinkedHashMap<>();
  private boolean closed;

  /** The topics of a local cloud whose chain topic is {@code chain}; {@code maker} makes others. */
  public LocalTopics(LocalTopic chain, Function<String, LocalTopic> maker) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.maker = Objects.requireNonNull(maker, "maker");
  }

  /** The chain's topic. */
  public LocalTopic chain() {
    return chain;
  }

  /** Every topic: the chain's first, then the others in the order they were made. */
  public List<LocalTopic> all() {
    List<LocalTopic> all = new ArrayList<>();
    all.add(chain);
    synchronized (lock) {
      all.addAll(others.values());
    }
    return all;
  }

  /** The topic whose ARN is {@code arn}. */
  public Optional<LocalTopic> byArn(String arn) {
    return all().stream().filter(t -> t.arn().equals(arn)).findFirst();
  }

  /**
   * The topic named {@code name}, made (with no subscriptions) unless it exists: as {@code
   * CreateTopic}, which answers an existing name with its topic.
   *
   * @throws IllegalArgumentException when SNS would refuse the name
   * @throws IllegalStateException when the topics are closed
   */
  public LocalTopic create(String name) {
    if (chain.name().equals(name)) {
      return chain;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the local cloud is stopping");
      }
      LocalTopic existing = others.get(name);
      if (existing != null) {
        return existing;
      }
      LocalTopic made = maker.apply(name);
      others.put(name, made);
      return made;
    }
  }

  /** Closes the topics made later (the chain's is its owner's to close). */
  @Override
  public void close() {
    List<LocalTopic> closing;
    synchronized (lock) {
      closed = true;
      closing = new ArrayList<>(others.values());
    }
    closing.forEach(LocalTopic::close);
  }
}
