package dev.surge.aws;

import dev.surge.core.port.BacklogProbe;
import dev.surge.core.port.QueueDepth;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Reads a queue's counters with one {@code GetQueueAttributes} call. */
public final class SqsBacklogProbe implements BacklogProbe {
  private final SqsClient sqs;
  private final String queueUrl;

  /** Probes the queue at {@code queueUrl}. */
  public SqsBacklogProbe(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  @Override
  public QueueDepth depth() {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return new QueueDepth(
        count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  private static long count(Map<QueueAttributeName, String> a, QueueAttributeName name) {
    String v = a.get(name);
    return v == null ? 0 : Long.parseLong(v);
  }
}
