package dev.surge.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests SDK clients send, per operation, retries included (each attempt is one
 * request on the wire). Thread-safe; add one instance to every client to be counted.
 */
public final class RequestCounter implements ExecutionInterceptor {
  // The SDK's service names (its SERVICE_NAME execution attribute).
  private static final String SQS = "Sqs";
  private static final String DYNAMODB = "DynamoDb";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> perService = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
    String op = executionAttributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(op == null ? "unknown" : op, k -> new LongAdder()).increment();
    String service = executionAttributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    perService
        .computeIfAbsent(service == null ? "unknown" : service, k -> new LongAdder())
        .increment();
  }

  /** Requests to SQS so far (what SQS bills). */
  public long sqs() {
    return service(SQS);
  }

  /** Requests to DynamoDB so far. */
  public long dynamoDb() {
    return service(DYNAMODB);
  }

  private long service(String serviceName) {
    LongAdder a = perService.get(serviceName);
    return a == null ? 0 : a.sum();
  }

  /** Requests per operation so far, sorted by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** All requests so far. */
  public long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Requests of one operation so far. */
  public long count(String operation) {
    LongAdder a = counts.get(operation);
    return a == null ? 0 : a.sum();
  }

  /** Forgets every count. */
  public void reset() {
    counts.clear();
    perService.clear();
  }
}
