package dev.surge.demo;

import dev.surge.aws.AwsClients;
import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import dev.surge.core.produce.UniqueBodies;
import dev.surge.core.retry.Backoff;
import dev.surge.producer.Producer;
import dev.surge.run.Run;
import dev.surge.run.RunSummaries;
import dev.surge.watch.AwsCaller;
import dev.surge.watch.AwsPipelineWatcher;
import dev.surge.watch.AwsStatus;
import dev.surge.watch.ServiceClients;
import dev.surge.watch.StackOutputs;
import dev.surge.watch.WatchPeriods;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * {@code surge demo --target aws}: the same demo against the deployed stack. The producer sends to
 * the stack's queue; the CloudWatch alarm, SNS, Lambda and ECS do the rest; the watcher feeds the
 * terminal and the dashboard from SQS, CloudWatch, ECS, DynamoDB and the log groups.
 */
public final class AwsDemo {
  /** How often the deployed chain is read while the run drains. */
  private static final Duration LOOK_EVERY = Duration.ofSeconds(5);

  private final AwsClients clients;
  private final Clock clock;

  /** A demo through {@code clients} (the standard AWS chain). */
  public AwsDemo(AwsClients clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  /** Reads the deployed stack's outputs (checking credentials first, for a clear error). */
  public StackOutputs outputs(String prefix) {
    new AwsCaller(clients).identity();
    try (CloudFormationClient cfn =
        clients.build(CloudFormationClient.builder(), "CLOUDFORMATION")) {
      return StackOutputs.read(cfn, StackOutputs.stackName(prefix));
    }
  }

  /** The stack's resource names, for the dashboard. */
  public static ResourceNames names(StackOutputs o) {
    String topic = o.topicArn().substring(o.topicArn().lastIndexOf(':') + 1);
    String repository = o.repositoryUri().substring(o.repositoryUri().lastIndexOf('/') + 1);
    return new ResourceNames(
        o.tableName(),
        o.queueName(),
        o.deadLetterQueueName(),
        topic,
        o.functionName(),
        o.alarmName(),
        o.clusterName(),
        o.taskDefinitionFamily(),
        o.containerName(),
        repository);
  }

  /**
   * Produces {@code messages} into the stack's queue and follows the chain until the queue is
   * empty, no task runs and this run's messages are all in the table or the dead-letter queue.
   */
  @SuppressWarnings("try") // the view and the watcher only need closing
  public PipelineEvent.RunSummary run(
      StackOutputs outputs,
      EventLog events,
      long messages,
      int concurrency,
      Optional<Double> rate,
      Duration timeout,
      PrintWriter out,
      boolean tty)
      throws InterruptedException {
    try (ServiceClients services = ServiceClients.build(clients)) {
      AwsStatus before = AwsStatus.read(outputs, services, clock);
      Instant start = clock.instant();
      try (AwsPipelineWatcher watcher =
              new AwsPipelineWatcher(outputs, clients, events, clock, WatchPeriods.defaults())
                  .countItemsAbove(before.items())
                  .start();
          TerminalView view = new TerminalView(events, out, tty, start)) {
        Instant firstSent = clock.instant();
        AtomicLong sent = new AtomicLong();
        // The last look: the figures of a run that timed out.
        AtomicReference<AwsStatus> now = new AtomicReference<>(before);
        Run.Watch watch =
            () -> {
              AwsStatus s = AwsStatus.read(outputs, services, clock);
              now.set(s);
              return new Run.Look(
                  s.depth().empty(),
                  s.tasksIn(TaskState.PROVISIONING).isEmpty()
                      && s.tasksIn(TaskState.RUNNING).isEmpty(),
                  worked(before, s));
            };
        Run.Progress timeouts =
            new Run.Progress() {
              @Override
              public void timedOut() {
                events.publish(
                    new PipelineEvent.Note(
                        clock.instant(),
                        "error",
                        "timed out after "
                            + timeout.toSeconds()
                            + " s; queue "
                            + now.get().depth()
                            + ", items of this run "
                            + worked(before, now.get())));
              }
            };
        return new Run(clock, d -> Thread.sleep(d.toMillis()))
            .run(
                () ->
                    Run.Sending.finished(
                        new Producer(services.sqs(), outputs.queueUrl(), Backoff.standard())
                            .produce(
                                messages,
                                concurrency,
                                rate,
                                new UniqueBodies(
                                    new SplittableRandom(new SecureRandom().nextLong())),
                                n ->
                                    events.publish(
                                        new PipelineEvent.Produced(
                                            clock.instant(), sent.addAndGet(n), messages)))
                            .sent()),
                watch,
                // The alarm evaluates once a minute: the first look after a pause, as the rest.
                Run.Waiting.every(LOOK_EVERY).firstLookAfter(LOOK_EVERY).timeoutAfter(timeout),
                timeouts,
                drain -> summary(events, before, now.get(), drain, firstSent, services, outputs));
      }
    }
  }

  /** This run's messages in the table or the dead-letter queue, from the counts before it. */
  private static long worked(AwsStatus before, AwsStatus now) {
    return now.items() - before.items() + Math.max(0, now.deadLetters() - before.deadLetters());
  }

  private PipelineEvent.RunSummary summary(
      EventLog events,
      AwsStatus before,
      AwsStatus now,
      Run.Drain drain,
      Instant firstSent,
      ServiceClients services,
      StackOutputs outputs) {
    // Each task by the host name it writes into items (the last its events gave).
    java.util.Map<String, String> launched = new java.util.LinkedHashMap<>();
    events.events().stream()
        .map(EventLog.Sequenced::event)
        .filter(e -> e instanceof PipelineEvent.TaskChanged)
        .map(e -> ((PipelineEvent.TaskChanged) e).task())
        .forEach(t -> launched.put(t.taskId(), t.host()));
    PipelineEvent.RunSummary summary =
        RunSummaries.compute(
            services.dynamodb(),
            outputs.tableName(),
            drain.sent(),
            firstSent,
            Math.max(0, now.deadLetters() - before.deadLetters()),
            now.depth().backlog(),
            0, // purges of the deployed queue are not seen here
            List.copyOf(launched.values()),
            0, // the tasks report in their logs only; this demo's bodies are all different
            -1,
            clock.instant(),
            Optional.of(firstSent.minusSeconds(5)),
            Optional.empty(), // AWS bills this run itself: see Cost Explorer
            events);
    events.publish(new PipelineEvent.RunFinished(clock.instant(), summary));
    return summary;
  }
}
