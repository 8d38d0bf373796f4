package dev.surge.queue;

/**
 * The work queue and its dead-letter queue.
 *
 * @param url the work queue's URL
 * @param deadLetterUrl the dead-letter queue's URL
 * @param deadLetterArn the dead-letter queue's ARN (as the redrive policy names it)
 */
public record QueuePair(String url, String deadLetterUrl, String deadLetterArn) {}
