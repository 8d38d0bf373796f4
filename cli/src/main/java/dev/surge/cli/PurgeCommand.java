package dev.surge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.aws.SqsQueues;
import dev.surge.core.ConfigException;
import dev.surge.core.Env;
import dev.surge.core.ResourceNames;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.retry.Backoff;
import dev.surge.table.TableItems;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code surge purge}: empties the local cloud's queue, dead-letter queue and table. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Empty the running local cloud between runs: the work queue, its dead-letter queue (the one"
          + " its redrive policy names) and the table (every item deleted; the table stays)."
          + " Prints one line of what it removed.",
      "It reaches them where 'surge produce' and 'surge status' do: the AWS_ENDPOINT_URL_SQS /"
          + " AWS_ENDPOINT_URL_DYNAMODB variables, else 127.0.0.1:9324 and 127.0.0.1:8000.",
      "Messages in flight (received by a task, not yet deleted) are removed with the others, as"
          + " SQS's PurgeQueue removes them: the task holding one still writes its item (which may"
          + " then land in the table after it was emptied) and its delete of it fails. For an"
          + " empty queue and table, purge once a burst is done (surge status: nothing in flight,"
          + " no task running).",
      "A running 'surge up' sees the purge through its SQS endpoint and counts the removed"
          + " messages as purged in its burst summary, not as lost; it does the same for 'aws sqs"
          + " purge-queue' through that endpoint.",
      "Local only: in AWS a purge deletes real data, takes up to 60 s and is allowed once per 60"
          + " s per queue; use 'aws sqs purge-queue' there."
    })
final class PurgeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--target",
      defaultValue = "local",
      description =
          "local (the default, and the only one: the stand-ins on 127.0.0.1, or the"
              + " AWS_ENDPOINT_URL_* you set); aws is refused.")
  TargetOption.Target targetName;

  private final TargetOption target = new TargetOption();

  @Option(
      names = "--queue",
      description = "Queue name or URL (default: SURGE_QUEUE, else demo-decoupling-saa).")
  String queue;

  @Option(names = "--table", description = "Table name (default: SURGE_TABLE, else fasttracksaa).")
  String table;

  PurgeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (targetName == TargetOption.Target.aws) {
      throw new ConfigException(
          "surge purge empties the local cloud only (in AWS it would delete real data, and"
              + " PurgeQueue takes up to 60 s, once per 60 s); there, use 'aws sqs purge-queue'");
    }
    Env e = new Env(env);
    AwsTarget t = target.resolve(e);
    ResourceNames seed = ResourceNames.seed();
    String q = queue != null ? queue : e.string("SURGE_QUEUE", seed.queue());
    String tableName = table != null ? table : e.string("SURGE_TABLE", seed.table());
    String sqsAt = target.describe(t, "SQS");
    String dynamoDbAt = target.describe(t, "DYNAMODB");
    AwsClients clients = new AwsClients(t, 2, List.of());
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      // Everything is found first: a missing part purges nothing.
      String url = SqsQueues.resolveUrl(sqs, q, sqsAt);
      Optional<String> deadLetterUrl = deadLetterQueue(sqs, url);
      try {
        dynamodb.describeTable(b -> b.tableName(tableName));
      } catch (ResourceNotFoundException x) {
        throw new ConfigException(
            "table '"
                + tableName
                + "' does not exist at "
                + dynamoDbAt
                + "; start the local cloud with './surge up' (it creates it), or name an existing"
                + " table with --table / SURGE_TABLE",
            x);
      } catch (SdkClientException x) {
        throw SqsQueues.unreachable("DynamoDB", dynamoDbAt, x);
      }
      QueueDepth work = purge(sqs, url);
      long dead = 0;
      if (deadLetterUrl.isPresent()) {
        QueueDepth d = purge(sqs, deadLetterUrl.get());
        dead = d.visible() + d.inFlight() + d.delayed();
      }
      long items = new TableItems(dynamodb, Backoff.standard()).deleteAll(tableName);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "purged: queue %d message(s)%s, dead-letter queue %s, table %d item(s)%n",
          work.visible() + work.inFlight() + work.delayed(),
          work.inFlight() > 0
              ? " ("
                  + work.inFlight()
                  + " in flight: the tasks holding them still write their items)"
              : "",
          deadLetterUrl.isPresent()
              ? Long.toString(dead)
              : "none (the queue has no redrive policy)",
          items);
      return 0;
    }
  }

  /** Purges {@code url} and returns what it held just before. */
  private static QueueDepth purge(SqsClient sqs, String url) {
    QueueDepth before = new SqsBacklogProbe(sqs, url).depth();
    sqs.purgeQueue(b -> b.queueUrl(url));
    return before;
  }

  /** The URL of the dead-letter queue {@code url}'s redrive policy names, if it names one. */
  private static Optional<String> deadLetterQueue(SqsClient sqs, String url) {
    String policy =
        sqs.getQueueAttributes(
                b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
            .attributes()
            .get(QueueAttributeName.REDRIVE_POLICY);
    if (policy == null || policy.isBlank()) {
      return Optional.empty();
    }
    try {
      String arn = new ObjectMapper().readTree(policy).path("deadLetterTargetArn").asText("");
      if (arn.isEmpty()) {
        return Optional.empty();
      }
      String name = arn.substring(arn.lastIndexOf(':') + 1);
      return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    } catch (IOException x) {
      throw new ConfigException("the queue's redrive policy is not JSON: " + policy, x);
    }
  }
}
