package dev.surge.core.port;

/**
 * Reads a queue's counters. Adapter: {@code SqsBacklogProbe} ({@code GetQueueAttributes}), the same
 * class on both targets.
 */
public interface BacklogProbe {

  /** The queue's approximate counters now. */
  QueueDepth depth();
}
