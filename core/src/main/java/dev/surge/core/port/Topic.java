package dev.surge.core.port;

/**
 * A publish/subscribe topic that the alarm notifies. Adapters: {@code LocalTopic} (in-process, with
 * SNS's envelope and retry semantics); in AWS the alarm publishes to SNS itself.
 */
public interface Topic {

  /**
   * Publishes {@code message} to every subscriber; returns the message id. Delivery is
   * asynchronous: a failing subscriber is retried and logged, never silently dropped.
   *
   * @param subject the notification's subject (SNS puts the alarm's in it)
   * @param message the body (for an alarm: CloudWatch's JSON)
   */
  String publish(String subject, String message);
}
