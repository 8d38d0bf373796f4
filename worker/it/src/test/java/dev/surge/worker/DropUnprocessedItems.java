package dev.surge.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Simulates DynamoDB throttling part of a batch: removes the last {@code perBatch} items from a
 * BatchWriteItem request before it is sent (so they are really not written) and reports them in the
 * response's {@code UnprocessedItems}, for the first {@code batches} requests.
 */
final class DropUnprocessedItems implements ExecutionInterceptor {
  private static final ExecutionAttribute<List<WriteRequest>> DROPPED =
      new ExecutionAttribute<>("surge-dropped");

  private final int perBatch;
  private final int batches;
  private final AtomicInteger droppedBatches = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  DropUnprocessedItems(int perBatch, int batches) {
    this.perBatch = perBatch;
    this.batches = batches;
  }

  int dropped() {
    return dropped.get();
  }

  int droppedBatches() {
    return droppedBatches.get();
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    if (!(context.request() instanceof BatchWriteItemRequest request)
        || droppedBatches.get() >= batches) {
      return context.request();
    }
    Map.Entry<String, List<WriteRequest>> only =
        request.requestItems().entrySet().iterator().next();
    List<WriteRequest> all = only.getValue();
    if (all.size() < 2) {
      return request;
    }
    int n = Math.min(perBatch, all.size() - 1);
    droppedBatches.incrementAndGet();
    dropped.addAndGet(n);
    List<WriteRequest> kept = new ArrayList<>(all.subList(0, all.size() - n));
    attributes.putAttribute(DROPPED, new ArrayList<>(all.subList(all.size() - n, all.size())));
    return request.toBuilder().requestItems(Map.of(only.getKey(), kept)).build();
  }

  @Override
  public SdkResponse modifyResponse(
      Context.ModifyResponse context, ExecutionAttributes attributes) {
    List<WriteRequest> lost = attributes.getAttribute(DROPPED);
    if (lost == null || !(context.response() instanceof BatchWriteItemResponse response)) {
      return context.response();
    }
    // The table name is the request's only key.
    BatchWriteItemRequest request = (BatchWriteItemRequest) context.request();
    String table = request.requestItems().keySet().iterator().next();
    return response.toBuilder().unprocessedItems(Map.of(table, lost)).build();
  }
}
