package dev.surge.cli;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.core.ResourceNames;
import dev.surge.provision.Provisioner;
import dev.surge.provision.QueueOptions;
import dev.surge.standins.StandIns;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code surge up}: the local cloud on fixed ports until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run the local cloud on fixed ports until Ctrl-C: SQS (ElasticMQ) and DynamoDB (dynalite)"
          + " on 127.0.0.1, with the seed's queue, dead-letter queue and table created.",
      "Prints the variables that point the aws CLI, any SDK or another surge command at it."
    })
final class UpCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--sqs-port", defaultValue = "9324", description = "SQS port (${DEFAULT-VALUE}).")
  int sqsPort;

  @Option(
      names = "--dynamodb-port",
      defaultValue = "8000",
      description = "DynamoDB port (${DEFAULT-VALUE}).")
  int dynamodbPort;

  @Option(
      names = "--visibility",
      defaultValue = "30",
      description = "Queue visibility timeout in seconds (${DEFAULT-VALUE}).")
  int visibility;

  @Option(
      names = "--max-receive-count",
      defaultValue = "5",
      description = "Receives before a message moves to the dead-letter queue (${DEFAULT-VALUE}).")
  int maxReceiveCount;

  UpCommand(Map<String, String> env) {
    // the local cloud ignores the caller's endpoint variables: it is what they point to
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ResourceNames names = ResourceNames.seed();
    StandIns standIns = StandIns.start(sqsPort, dynamodbPort);
    Runtime.getRuntime().addShutdownHook(new Thread(standIns::close, "surge-up-stop"));
    AwsTarget target = AwsTarget.local(standIns.sqsEndpoint(), standIns.dynamoDbEndpoint());
    AwsClients clients = new AwsClients(target, 4, List.of());
    try (SqsClient sqs = clients.build(SqsClient.builder(), "SQS");
        DynamoDbClient dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB")) {
      Provisioner p = new Provisioner(sqs, dynamodb);
      p.ensureQueue(
          names.queue(),
          names.deadLetterQueue(),
          new QueueOptions(Duration.ofSeconds(visibility), maxReceiveCount));
      p.ensureTable(names.table());
    }
    out.printf("Local cloud is up (Ctrl-C to stop).%n");
    out.printf(
        "  SQS       %s  queue %s (dead-letter queue %s)%n",
        standIns.sqsEndpoint(), names.queue(), names.deadLetterQueue());
    out.printf("  DynamoDB  %s  table %s%n%n", standIns.dynamoDbEndpoint(), names.table());
    out.printf("Point the aws CLI, an SDK or a script at it:%n");
    for (Map.Entry<String, String> v : target.toEnvironment().entrySet()) {
      out.printf("  export %s=%s%n", v.getKey(), v.getValue());
    }
    out.printf("%nThen, for example:%n");
    out.printf("  ./surge produce        # 1100 messages%n");
    out.printf("  ./surge work           # drain them into the table%n");
    out.printf(
        "  aws dynamodb scan --table-name %s --select COUNT --endpoint-url %s%n",
        names.table(), standIns.dynamoDbEndpoint());
    out.flush();
    new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook stops the stand-ins
    return 0;
  }
}
