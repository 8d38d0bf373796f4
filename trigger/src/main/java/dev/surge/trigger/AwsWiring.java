package dev.surge.trigger;

import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.aws.SqsQueues;
import dev.surge.core.Env;
import dev.surge.core.port.BacklogProbe;
import dev.surge.core.port.QueueDepth;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.core.trigger.TriggerSettings;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS trigger (SQS probe, ECS launcher, CloudWatch probe, and the fleet lease in the
 * control table) from one environment map: what the Lambda function runs, and what the local
 * cloud's function runs with the local endpoint in the map.
 */
public final class AwsWiring {
  private static final Logger LOG = LoggerFactory.getLogger(AwsWiring.class);

  // One invocation at a time per Lambda instance: a couple of connections per client suffice.
  private static final int CONNECTIONS = 2;

  private AwsWiring() {}

  /**
   * The trigger the Lambda function runs, configured by {@code env} alone.
   *
   * @throws dev.surge.core.ConfigException naming the variable that is missing or wrong
   */
  public static TriggerService service(Env env) {
    // Lambda's instance keeps its clients until it is retired.
    return service(env, client -> {});
  }

  /**
   * As {@link #service(Env)}, handing each SDK client it builds to {@code opened}, whose owner
   * closes them once the trigger is no longer used (the local cloud, when it stops).
   *
   * @throws dev.surge.core.ConfigException naming the variable that is missing or wrong
   */
  public static TriggerService service(Env env, Consumer<AutoCloseable> opened) {
    Objects.requireNonNull(opened, "opened");
    TriggerSettings trigger = TriggerSettings.fromEnvironment(env);
    EcsSettings ecsSettings = EcsSettings.fromEnvironment(env);
    AwsTarget target = AwsTarget.aws(env);
    AwsClients clients = new AwsClients(target, CONNECTIONS, List.of());
    Optional<StaticCredentialsProvider> credentials = credentials(env);

    EcsClient ecs = clients.build(withCredentials(EcsClient.builder(), credentials), "ECS");
    opened.accept(ecs);
    SqsClient sqs = clients.build(withCredentials(SqsClient.builder(), credentials), "SQS");
    opened.accept(sqs);
    CloudWatchClient cloudWatch =
        clients.build(withCredentials(CloudWatchClient.builder(), credentials), "CLOUDWATCH");
    opened.accept(cloudWatch);

    String sqsEndpoint = target.endpoint("SQS").map(Object::toString).orElse("the SQS endpoint");
    Clock clock = Clock.systemUTC();
    Optional<DynamoDbFleetLease> lease =
        env.get(ControlSchema.TABLE)
            .map(
                table -> {
                  DynamoDbClient dynamodb =
                      clients.build(
                          withCredentials(DynamoDbClient.builder(), credentials), "DYNAMODB");
                  opened.accept(dynamodb);
                  return new DynamoDbFleetLease(
                      dynamodb, table, DynamoDbFleetLease.fleetOf(ecsSettings), clock);
                });
    if (lease.isPresent()) {
      LOG.info("decisions take turns on {}", lease.get());
    } else {
      LOG.warn(
          "{} is not set: decisions are serialized within this instance only, so instances"
              + " deciding at once (a notification and the reconcile, or a retry) may start tasks"
              + " twice while ECS's task listing lags",
          ControlSchema.TABLE);
    }
    LaunchLedger ledger = lease.<LaunchLedger>map(l -> l).orElseGet(LaunchLedger::inMemory);
    LOG.info(
        "trigger for alarm {} on queue {} with {}; tasks {} on cluster {} (startedBy {})",
        trigger.alarm(),
        trigger.queue(),
        trigger.policy(),
        ecsSettings.taskDefinition(),
        ecsSettings.cluster(),
        ecsSettings.startedBy());
    return new TriggerService(
        trigger,
        new LazyQueueProbe(sqs, trigger.queue(), sqsEndpoint),
        new EcsTaskLauncher(ecs, ecsSettings, clock, ledger),
        new CloudWatchAlarmStateProbe(cloudWatch, trigger.alarm()),
        Optional.of(new EcsTaskDirectory(ecs, ecsSettings)),
        lease.map(l -> l),
        clock);
  }

  /**
   * The credentials in {@code env}, if it has them. Lambda puts the function's role credentials in
   * these variables; reading them from the map keeps the map the whole configuration. Without them
   * the SDK's default chain applies.
   */
  static Optional<StaticCredentialsProvider> credentials(Env env) {
    Optional<String> key = env.get("AWS_ACCESS_KEY_ID");
    Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> token = env.get("AWS_SESSION_TOKEN");
    AwsCredentials c =
        token.isPresent()
            ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
            : AwsBasicCredentials.create(key.get(), secret.get());
    return Optional.of(StaticCredentialsProvider.create(c));
  }

  private static <B extends AwsClientBuilder<B, C>, C> B withCredentials(
      B builder, Optional<StaticCredentialsProvider> credentials) {
    credentials.ifPresent(builder::credentialsProvider);
    return builder;
  }

  /**
   * Resolves the queue's URL on first use rather than at start, so a cold start makes no call and a
   * queue created after the function still works.
   */
  static final class LazyQueueProbe implements BacklogProbe {
    private final SqsClient sqs;
    private final String queue;
    private final String endpoint;
    private SqsBacklogProbe probe;

    LazyQueueProbe(SqsClient sqs, String queue, String endpoint) {
      this.sqs = sqs;
      this.queue = queue;
      this.endpoint = endpoint;
    }

    @Override
    public synchronized QueueDepth depth() {
      if (probe == null) {
        probe = new SqsBacklogProbe(sqs, SqsQueues.resolveUrl(sqs, queue, endpoint));
      }
      return probe.depth();
    }
  }
}
