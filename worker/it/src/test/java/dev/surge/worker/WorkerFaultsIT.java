package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.item.TaskIdentity;
import dev.surge.core.retry.Backoff;
import dev.surge.queue.QueueOptions;
import dev.surge.standins.FaultProxy;
import dev.surge.standins.StandIns;
import dev.surge.standins.StandInsExtension;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * The worker when its dependencies fail: SQS or DynamoDB unreachable (a TCP proxy in front of the
 * real ElasticMQ and dynalite, taken down and brought back), SQS failing a delete on its side, a
 * slow release, a stop while writes are failing.
 */
@ExtendWith(StandInsExtension.class)
class WorkerFaultsIT {
  private static StandIns standIns;

  @BeforeAll
  static void standIns(StandIns s) {
    standIns = s;
  }

  private static AwsTarget sqsVia(FaultProxy proxy) {
    return AwsTarget.local(proxy.endpoint(), standIns.dynamoDbEndpoint());
  }

  @Test
  void sqsUnreachableForTenSecondsMidDrainDoesNotEndTheWorker() throws Exception {
    try (Fixture f =
            new Fixture(standIns, "sqs-outage", new QueueOptions(Duration.ofSeconds(3), 5));
        FaultProxy proxy = FaultProxy.in(standIns.sqsEndpoint())) {
      f.produce(1000);
      Worker worker = f.worker(sqsVia(proxy), f.settings(), "task-o");
      CompletableFuture<WorkerResult> run = CompletableFuture.supplyAsync(worker::run);
      awaitDeleted(worker, 300);

      proxy.down();
      TimeUnit.SECONDS.sleep(10);
      assertThat(run).as("the worker outlives the outage").isNotDone();
      proxy.up();

      WorkerResult result = run.get(120, TimeUnit.SECONDS);
      assertThat(result.outcome()).as(result.toString()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(proxy.refused()).as("connections refused while down").isPositive();
      assertThat(f.itemCount()).isEqualTo(1000);
      assertThat(f.queueCount()).isZero();
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void anEndpointDownAtStartUpIsRetriedAndTheWorkerThenDrains() throws Exception {
    try (Fixture f = new Fixture(standIns, "startup", QueueOptions.defaults());
        FaultProxy proxy = FaultProxy.in(standIns.sqsEndpoint())) {
      f.produce(100);
      proxy.down();
      Worker worker = f.worker(sqsVia(proxy), f.settings(), "task-s");
      CompletableFuture<WorkerResult> run = CompletableFuture.supplyAsync(worker::run);
      TimeUnit.SECONDS.sleep(3);
      assertThat(run).as("still retrying its first call").isNotDone();
      proxy.up();

      WorkerResult result = run.get(60, TimeUnit.SECONDS);
      assertThat(result.outcome()).as(result.toString()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(100);
    }
  }

  @Test
  void anEndpointThatNeverAnswersAtStartUpIsAFailureNotABadSetting() throws Exception {
    try (Fixture f = new Fixture(standIns, "never", QueueOptions.defaults());
        FaultProxy proxy = FaultProxy.in(standIns.sqsEndpoint())) {
      proxy.down();
      WorkerResult result =
          f.worker(sqsVia(proxy), f.settings().withStartupRetry(Duration.ofSeconds(2)), "task-n")
              .run();

      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.FAILED);
      assertThat(result.outcome().exitCode()).isEqualTo(1);
      assertThat(result.error().orElseThrow())
          .contains("SQS did not answer at " + proxy.endpoint())
          .contains("for 2 s")
          .contains("AWS_ENDPOINT_URL_SQS");
    }
  }

  @Test
  void aDeleteThatFailsOnSqsSideIsRetriedNotLeftToRedelivery() throws Exception {
    try (Fixture f = new Fixture(standIns, "delete", new QueueOptions(Duration.ofSeconds(2), 5))) {
      f.produce(50);
      FailOneDeleteOnce fault = new FailOneDeleteOnce();

      WorkerResult result = f.worker(f.settings().withConcurrency(1), "task-d", fault).run();

      assertThat(fault.injected()).as("a delete entry failed with SenderFault false").isTrue();
      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(result.stats().deleteFailures()).isZero();
      assertThat(result.stats().redelivered()).isZero();
      assertThat(result.stats().deleted()).isEqualTo(50);
      assertThat(f.itemCount()).isEqualTo(50);
      assertThat(f.queueCount()).isZero();
    }
  }

  @Test
  void aReleasedBatchIsNeverExtendedAgainEvenWhenTheReleaseIsSlow() throws Exception {
    try (Fixture f = new Fixture(standIns, "release", new QueueOptions(Duration.ofSeconds(2), 5))) {
      f.sqs.sendMessage(b -> b.queueUrl(f.queues.url()).messageBody("9".repeat(3000)));
      VisibilityChanges changes = new VisibilityChanges(Duration.ofMillis(2500));

      WorkerResult result =
          f.worker(
                  f.settings()
                      .withConcurrency(1)
                      .withVisibilityTimeout(Optional.of(Duration.ofSeconds(2))),
                  "task-r",
                  changes)
              .run();

      assertThat(result.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.deadLetterCount()).isEqualTo(1);
      assertThat(changes.slowed()).as("the first release was slow").isTrue();
      changes
          .byReceipt()
          .forEach(
              (receipt, timeouts) -> {
                int released = timeouts.indexOf(0);
                if (released >= 0) {
                  assertThat(timeouts.subList(released, timeouts.size()))
                      .as("visibility changes after the release, in the order sent")
                      .containsOnly(0);
                }
              });
    }
  }

  @Test
  void aStopEndsWriteRetriesAtOnceAndHandsTheMessagesBack() throws Exception {
    try (Fixture f = new Fixture(standIns, "stopwrites", QueueOptions.defaults());
        FaultProxy proxy = FaultProxy.in(standIns.dynamoDbEndpoint())) {
      f.produce(200);
      Worker worker =
          f.worker(
              AwsTarget.local(standIns.sqsEndpoint(), proxy.endpoint()),
              f.settings()
                  .withConcurrency(2)
                  .withWriteBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 8)),
              "task-w");
      CountDownLatch ready = new CountDownLatch(1);
      worker.onReady(ready::countDown);
      CompletableFuture<WorkerResult> run = CompletableFuture.supplyAsync(worker::run);
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      proxy.down();
      while (worker.stats().snapshot().received() == 0) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      TimeUnit.MILLISECONDS.sleep(1500); // the writes fail and back off

      long t0 = System.nanoTime();
      worker.stop();
      WorkerResult stopped = run.get(30, TimeUnit.SECONDS);
      long stopMillis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(stopped.outcome()).isEqualTo(WorkerResult.Outcome.STOPPED);
      // Eight attempts with waits of up to 1, 2, 4, 5... s would take at least 27 s; the stop cuts
      // the backoff short (well under a second on a quiet machine, more under the suite's load).
      assertThat(stopMillis).as("stop took (ms)").isLessThan(15_000);
      assertThat(stopped.stats().deleted()).isZero();
      assertThat(stopped.stats().released()).as("handed back at the stop").isPositive();

      proxy.up();
      WorkerResult second = f.worker(f.settings(), "task-w2").run();
      assertThat(second.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(200);
      assertThat(f.queueCount()).isZero();
    }
  }

  @Test
  void anExceptionNoPollerExpectsEndsTheWholeWorkerAndLosesNothing() throws Exception {
    try (Fixture f =
        new Fixture(standIns, "poller-bug", new QueueOptions(Duration.ofSeconds(2), 5))) {
      f.produce(500);
      SqsClient real = new AwsClients(f.target, 16, List.of()).build(SqsClient.builder(), "SQS");
      // A bug in a poller's path (here: the 5th receive throws what no code expects). Before the
      // fix that poller died alone and the others drained on, exit 0, a quarter of the fleet
      // gone unnoticed.
      AtomicInteger receives = new AtomicInteger();
      SqsClient buggy =
          (SqsClient)
              Proxy.newProxyInstance(
                  SqsClient.class.getClassLoader(),
                  new Class<?>[] {SqsClient.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("receiveMessage")
                        && receives.incrementAndGet() == 5) {
                      throw new IllegalStateException("a bug in the receive path");
                    }
                    return forward(real, method, args);
                  });
      try (DynamoDbClient dynamodb =
          new AwsClients(f.target, 16, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
        Worker worker =
            new Worker(
                f.settings(),
                new TaskIdentity("task-b", "host-task-b"),
                buggy,
                dynamodb,
                java.time.Clock.systemUTC());
        WorkerResult result = CompletableFuture.supplyAsync(worker::run).get(60, TimeUnit.SECONDS);
        assertThat(result.outcome()).as(result.toString()).isEqualTo(WorkerResult.Outcome.FAILED);
        assertThat(result.error()).get().asString().contains("a bug in the receive path");
        assertThat(result.outcome().exitCode()).isEqualTo(1);
      } finally {
        real.close();
      }
      // Whatever it held comes back: a second worker finishes the queue.
      WorkerResult rest = f.worker(f.settings(), "task-c").run();
      assertThat(rest.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(500);
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  /** Calls {@code method} on the real client, throwing what it throws. */
  private static Object forward(Object real, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * A DynamoDB client whose first {@code denials} BatchWriteItem calls are answered as DynamoDB
   * answers a role without the action (an {@code AccessDeniedException}, status 400), and the rest
   * pass through to dynalite, which has no IAM of its own.
   */
  private static DynamoDbClient denyingWrites(DynamoDbClient real, int denials) {
    AtomicInteger calls = new AtomicInteger();
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("batchWriteItem") && calls.incrementAndGet() <= denials) {
                String message =
                    "User: arn:aws:sts::123456789012:assumed-role/task/t is not authorized to"
                        + " perform: dynamodb:BatchWriteItem on resource: table";
                throw DynamoDbException.builder()
                    .statusCode(400)
                    .message(message)
                    .awsErrorDetails(
                        AwsErrorDetails.builder()
                            .errorCode("AccessDeniedException")
                            .errorMessage(message)
                            .build())
                    .build();
              }
              return forward(real, method, args);
            });
  }

  private WorkerResult runWith(Fixture f, DynamoDbClient dynamodb, String taskId) throws Exception {
    try (SqsClient sqs =
        new AwsClients(f.target, 16, List.of()).build(SqsClient.builder(), "SQS")) {
      Worker worker =
          new Worker(
              f.settings()
                  .withConcurrency(2)
                  .withWriteBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 4)),
              new TaskIdentity(taskId, "host-" + taskId),
              sqs,
              dynamodb,
              java.time.Clock.systemUTC());
      return CompletableFuture.supplyAsync(worker::run).get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWriteDeniedOnEveryAttemptEndsTheWorkerAsMisconfiguredAndLosesNothing() throws Exception {
    try (Fixture f = new Fixture(standIns, "denied", new QueueOptions(Duration.ofSeconds(2), 5));
        DynamoDbClient real =
            new AwsClients(f.target, 16, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
      f.produce(100);
      // Before the fix the worker retried every batch until its visibility timeout, received it
      // again, and never ended: a task paid for, writing nothing, each message one receive nearer
      // the dead-letter queue per timeout.
      WorkerResult denied = runWith(f, denyingWrites(real, Integer.MAX_VALUE), "task-d");
      assertThat(denied.outcome())
          .as(denied.toString())
          .isEqualTo(WorkerResult.Outcome.MISCONFIGURED);
      assertThat(denied.outcome().exitCode()).isEqualTo(2);
      assertThat(denied.error())
          .get()
          .asString()
          .contains("not allowed to write to table")
          .contains("AccessDeniedException")
          .contains("the task role needs dynamodb:BatchWriteItem");
      assertThat(denied.stats().deleted()).isZero();
      assertThat(f.itemCount()).isZero();
      assertThat(f.queueCount()).as("every message still in the queue").isEqualTo(100);

      // Once the role may write, the next task drains all of them (they come back after the
      // queue's 2 s visibility timeout); none reached the dead-letter queue.
      WorkerResult next = f.worker(f.settings(), "task-e").run();
      assertThat(next.outcome()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(100);
      assertThat(f.deadLetterCount()).isZero();
    }
  }

  @Test
  void aWriteDeniedForItsFirstAttemptsOnlyIsRetriedAndTheWorkerDrains() throws Exception {
    try (Fixture f = new Fixture(standIns, "denied-once", QueueOptions.defaults());
        DynamoDbClient real =
            new AwsClients(f.target, 16, List.of()).build(DynamoDbClient.builder(), "DYNAMODB")) {
      f.produce(100);
      // A new role's policy can take a few seconds to apply: denials that stop within the write
      // backoff's attempts are retried, not a configuration error.
      WorkerResult result = runWith(f, denyingWrites(real, 2), "task-f");
      assertThat(result.outcome()).as(result.toString()).isEqualTo(WorkerResult.Outcome.DRAINED);
      assertThat(f.itemCount()).isEqualTo(100);
      assertThat(f.queueCount()).isZero();
    }
  }

  private static void awaitDeleted(Worker worker, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (worker.stats().snapshot().deleted() < count) {
      assertThat(System.nanoTime()).as("waiting for %d deletes", count).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /**
   * Takes one entry out of the first {@code DeleteMessageBatch} before it is sent and reports it
   * failed with {@code SenderFault} false, as SQS reports an internal error: the message is not
   * deleted, and the worker is told so.
   */
  private static final class FailOneDeleteOnce implements ExecutionInterceptor {
    private static final ExecutionAttribute<String> HELD_BACK =
        new ExecutionAttribute<>("surge.test.heldBackDeleteEntry");
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean injected;

    boolean injected() {
      return injected;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (context.request() instanceof DeleteMessageBatchRequest r
          && r.entries().size() > 1
          && done.compareAndSet(false, true)) {
        DeleteMessageBatchRequestEntry held = r.entries().get(0);
        attributes.putAttribute(HELD_BACK, held.id());
        return r.toBuilder().entries(r.entries().subList(1, r.entries().size())).build();
      }
      return context.request();
    }

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      String id = attributes.getAttribute(HELD_BACK);
      if (id != null && context.response() instanceof DeleteMessageBatchResponse r) {
        List<BatchResultErrorEntry> failed = new ArrayList<>(r.failed());
        failed.add(
            BatchResultErrorEntry.builder()
                .id(id)
                .senderFault(false)
                .code("InternalError")
                .message("injected by the test")
                .build());
        injected = true;
        return r.toBuilder().failed(failed).build();
      }
      return context.response();
    }
  }

  /**
   * Records every visibility change in the order sent, per receipt handle, and holds the answer to
   * the first release (visibility 0) back for a while: a slow release.
   */
  private static final class VisibilityChanges implements ExecutionInterceptor {
    private final Duration releaseDelay;
    private final Map<String, List<Integer>> byReceipt = new ConcurrentHashMap<>();
    private final AtomicReference<Boolean> slowed = new AtomicReference<>(false);

    VisibilityChanges(Duration releaseDelay) {
      this.releaseDelay = releaseDelay;
    }

    Map<String, List<Integer>> byReceipt() {
      return byReceipt;
    }

    boolean slowed() {
      return slowed.get();
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof ChangeMessageVisibilityBatchRequest r) {
        for (ChangeMessageVisibilityBatchRequestEntry e : r.entries()) {
          byReceipt
              .computeIfAbsent(
                  e.receiptHandle(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
              .add(e.visibilityTimeout());
        }
      }
    }

    @Override
    public void afterTransmission(
        Context.AfterTransmission context, ExecutionAttributes attributes) {
      if (context.request() instanceof ChangeMessageVisibilityBatchRequest r
          && r.entries().stream().allMatch(e -> e.visibilityTimeout() == 0)
          && slowed.compareAndSet(false, true)) {
        try {
          Thread.sleep(releaseDelay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
