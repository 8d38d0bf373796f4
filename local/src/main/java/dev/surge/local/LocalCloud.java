package dev.surge.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.surge.aws.AwsClients;
import dev.surge.aws.AwsTarget;
import dev.surge.aws.SqsBacklogProbe;
import dev.surge.core.Env;
import dev.surge.core.alarm.AlarmEvaluator;
import dev.surge.core.alarm.AlarmNotification;
import dev.surge.core.alarm.AlarmNotifications;
import dev.surge.core.alarm.AlarmSpec;
import dev.surge.core.alarm.AlarmTransition;
import dev.surge.core.cost.RunUsage;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.scaling.ScalingPolicy;
import dev.surge.core.trigger.ControlSchema;
import dev.surge.core.trigger.EcsVariables;
import dev.surge.core.trigger.TriggerSettings;
import dev.surge.local.alarm.LocalAlarm;
import dev.surge.local.alarm.LocalAlarms;
import dev.surge.local.api.AwsApi;
import dev.surge.local.api.LocalChain;
import dev.surge.local.function.FunctionConfig;
import dev.surge.local.function.LocalContext;
import dev.surge.local.function.LocalFunction;
import dev.surge.local.function.Reconciler;
import dev.surge.local.tasks.LauncherSettings;
import dev.surge.local.tasks.ProcessTaskLauncher;
import dev.surge.local.tasks.TaskPlatform;
import dev.surge.local.tasks.WorkerCommand;
import dev.surge.local.topic.DeliveryPolicy;
import dev.surge.local.topic.LocalTopic;
import dev.surge.local.topic.LocalTopics;
import dev.surge.local.topic.TopicConfig;
import dev.surge.monitor.PipelineMonitor;
import dev.surge.provision.Provisioner;
import dev.surge.queue.QueuePair;
import dev.surge.standins.AwsEndpoint;
import dev.surge.standins.StandIns;
import dev.surge.trigger.AwsWiring;
import dev.surge.trigger.TriggerDecisionLine;
import dev.surge.trigger.TriggerHandler;
import dev.surge.trigger.TriggerReport;
import dev.surge.trigger.TriggerService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The whole seed chain on this machine: the stand-ins with the seed's queue and table, the alarm on
 * the queue's visible messages, the topic, the trigger function subscribed to it (the same handler
 * class as the Lambda function, over the trigger the Lambda function builds, {@link AwsWiring},
 * from an environment naming the local resources and the one endpoint), the reconciler, the task
 * launcher starting real worker processes for the endpoint's ECS, and a monitor sampling queue and
 * table for viewers. Every part publishes to one {@link EventLog}. One AWS endpoint ({@link
 * AwsEndpoint}) serves every API of the chain: SQS and DynamoDB relayed to the stand-ins, the
 * others read from the parts themselves ({@link AwsApi}). Closing stops everything it started,
 * workers included.
 */
public final class LocalCloud implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCloud.class);

  private final LocalCloudOptions options;
  private final StandIns standIns;
  private final AwsEndpoint endpoint;
  private final Clock clock;
  private final AwsTarget target;
  private final SqsClient sqs;
  private final DynamoDbClient dynamodb;
  private final QueuePair queues;
  private final ScheduledExecutorService scheduler;
  private final ProcessTaskLauncher launcher;
  private final LocalTopic topic;
  private final LocalTopics topics;
  private final LocalAlarm alarm;
  private final LocalAlarms alarms;
  private final LocalFunction function;
  private final Map<String, String> functionEnvironment;
  private final Reconciler reconciler;
  private final PipelineMonitor monitor;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong arrivals =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean arrivalsToTell =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong purged =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong purgedDeadLetters =
      new java.util.concurrent.atomic.AtomicLong();

  /** How often messages from other tools are told as one "produced" event, at most. */
  static final Duration ARRIVALS_EVERY = Duration.ofMillis(500);

  private LocalCloud(
      LocalCloudOptions o, EventLog events, Clock clock, UnaryOperator<AwsTarget> taskRoute) {
    this.options = o;
    this.clock = clock;
    // Bound first: a taken port fails before anything starts.
    this.endpoint = AwsEndpoint.bind(o.host(), o.awsPort());
    started.add(endpoint);
    try {
      this.standIns = StandIns.start(o.host(), o.sqsPort(), o.dynamodbPort());
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
    started.add(standIns);
    try {
      this.target =
          AwsTarget.local(endpoint.endpoint(), standIns.sqsEndpoint(), standIns.dynamoDbEndpoint());
      // This JVM's clients and the tasks skip the SQS boundary, which is for other tools' sake.
      AwsTarget direct = AwsTarget.local(standIns.sqsDirectEndpoint(), standIns.dynamoDbEndpoint());
      AwsClients clients = new AwsClients(direct, 8, List.of());
      this.sqs = clients.build(SqsClient.builder(), "SQS");
      started.add(sqs);
      this.dynamodb = clients.build(DynamoDbClient.builder(), "DYNAMODB");
      started.add(dynamodb);
      Provisioner provisioner = new Provisioner(sqs, dynamodb);
      this.queues =
          provisioner.ensureQueue(o.names().queue(), o.names().deadLetterQueue(), o.queue());
      provisioner.ensureTable(o.names().table());
      // The table the function's instances share their fleet's lease in, as the stack makes it.
      provisioner.ensureControlTable(o.names().controlTable());

      this.scheduler = Executors.newScheduledThreadPool(4, daemon("local-cloud"));
      started.add(() -> shutdown(scheduler));
      SqsBacklogProbe backlog = new SqsBacklogProbe(sqs, queues.url());
      // The tasks reach the stand-ins through whatever the route puts between (surge chaos: its
      // fault proxies); this JVM's own clients, the alarm and the monitor go direct.
      AwsTarget taskTarget = Objects.requireNonNull(taskRoute.apply(direct), "task route");
      String region = target.region();
      Instant createdAt = clock.instant();
      // The tasks of the user's task definitions reach the local cloud at its one AWS endpoint.
      this.launcher =
          new ProcessTaskLauncher(
              LauncherSettings.of(
                      taskTarget, queues.url(), o.names().table(), o.maxTasks(), o.logDirectory())
                  .withTuning(o.tuning()),
              WorkerCommand.current(),
              clock,
              events,
              new TaskPlatform(
                  region,
                  TopicConfig.LOCAL_ACCOUNT,
                  o.names(),
                  createdAt,
                  Optional.of(endpoint.endpoint())));
      started.add(launcher);
      // A throwing function is retried by Lambda (twice, 1 and 2 minutes later), scaled to the
      // local period as the alarm is.
      double scale = o.alarmPeriod().toMillis() / (double) Duration.ofMinutes(1).toMillis();
      this.topic =
          new LocalTopic(
              TopicConfig.local(o.names().topic(), region)
                  .withPolicy(DeliveryPolicy.lambdaAsyncFunctionErrors().scaled(scale)),
              scheduler,
              clock,
              events);
      started.add(topic);
      // Topics made through the AWS endpoint (CreateTopic) deliver as the chain's does; their
      // deliveries are not the chain's, so they are told to a log of their own.
      DeliveryPolicy policy = topic.config().policy();
      EventLog othersEvents = new EventLog(1_000);
      this.topics =
          new LocalTopics(
              topic,
              name ->
                  new LocalTopic(
                      TopicConfig.local(name, region).withPolicy(policy),
                      scheduler,
                      clock,
                      othersEvents));
      started.add(topics);
      AlarmSpec spec = spec(o);
      LocalAlarm.Metric backlogMetric = LocalAlarm.visibleMessages(backlog);
      this.alarm =
          new LocalAlarm(
              new AlarmEvaluator(spec),
              new LocalAlarm.Settings(
                  description(spec, o.names().queue()),
                  true,
                  new AlarmNotifications.Actions(List.of(), List.of(topic.arn()), List.of()),
                  Optional.empty()),
              backlogMetric,
              events,
              (a, t) -> runActions(a, t, region),
              clock);
      // Alarms made through the AWS endpoint (PutMetricAlarm) watch a queue of the SQS stand-in.
      String chainQueue = o.names().queue();
      this.alarms =
          new LocalAlarms(
              alarm,
              s ->
                  chainQueue.equals(s.dimensions().get(AlarmSpec.QUEUE_NAME_DIMENSION))
                      ? backlogMetric
                      : visibleMessages(s.dimensions().get(AlarmSpec.QUEUE_NAME_DIMENSION)),
              (a, t) -> runActions(a, t, region),
              scheduler,
              clock);
      started.add(alarms);
      // The function runs what the Lambda function runs, built from the same variables: the
      // SDK's ECS launcher and task directory, CloudWatch alarm probe, SQS probe and fleet lease,
      // all at this cloud's one endpoint, whose ECS starts the tasks with the launcher above.
      this.functionEnvironment =
          Map.copyOf(functionEnvironment(o, queues.url(), endpoint.endpoint(), region));
      TriggerService service = AwsWiring.service(new Env(functionEnvironment), started::add);
      TriggerSettings triggerSettings = service.settings();
      this.function =
          new LocalFunction(
              FunctionConfig.local(o.names().function(), region),
              new Reporting(new TriggerHandler(service), events, clock),
              clock);
      topic.subscribe(o.names().function(), function);
      this.reconciler =
          new Reconciler(
              alarm, function, triggerSettings.activation() == TriggerSettings.Activation.BACKLOG);
      started.add(reconciler);
      this.monitor =
          new PipelineMonitor(
              sqs,
              queues.url(),
              queues.deadLetterUrl(),
              dynamodb,
              o.names().table(),
              events,
              clock);
      started.add(monitor);
      // Surge's own producer in this JVM tells its progress as events: an idle monitor looks at
      // once, as it does for the messages other tools send (below).
      events.subscribe(
          Long.MAX_VALUE,
          s -> {
            if (s.event() instanceof PipelineEvent.Produced) {
              monitor.wake();
            }
          });
      // Messages other tools send (surge produce, the aws CLI, boto3) count as produced, so the
      // page, status and the summaries are right whoever the producer is. Surge's own producer
      // in this JVM goes direct and publishes its progress itself.
      // A producer that sends one message per call (as the seed's does) would otherwise make
      // one event per message and push the chain's own events out of every view: arrivals are
      // told at most every ARRIVALS_EVERY, the last total always.
      String queueName = o.names().queue();
      // An idle monitor samples the queues every few seconds: an arrival has it look at once.
      standIns.onArrivals(
          (queueUrl, n) -> {
            monitor.wake();
            if (queueUrl.endsWith("/" + queueName)) {
              arrivals.addAndGet(n);
              if (arrivalsToTell.compareAndSet(false, true)) {
                scheduler.schedule(
                    () -> {
                      arrivalsToTell.set(false);
                      long total = arrivals.get();
                      events.publish(new PipelineEvent.Produced(clock.instant(), total, total));
                    },
                    ARRIVALS_EVERY.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
              }
            }
          });
      // A purge through the SQS endpoint (surge purge, aws sqs purge-queue) removes messages the
      // chain never saw: they are counted as purged, so a burst's summary does not call them lost.
      String deadLetterName = o.names().deadLetterQueue();
      standIns.onPurges(
          (queueUrl, waiting, inFlight) -> {
            if (queueUrl.endsWith("/" + queueName)) {
              // Those in flight are held by tasks, which still write their items.
              purged.addAndGet(waiting);
              events.publish(
                  new PipelineEvent.Note(
                      clock.instant(),
                      "info",
                      "queue "
                          + queueName
                          + " purged: "
                          + waiting
                          + " message(s) waiting removed"
                          + (inFlight > 0
                              ? ", and "
                                  + inFlight
                                  + " in flight, whose tasks still write their items"
                              : "")));
            } else if (queueUrl.endsWith("/" + deadLetterName)) {
              purgedDeadLetters.addAndGet(waiting + inFlight);
              events.publish(
                  new PipelineEvent.Note(
                      clock.instant(),
                      "info",
                      "dead-letter queue "
                          + deadLetterName
                          + " purged: "
                          + (waiting + inFlight)
                          + " message(s) removed"));
            }
          });
      endpoint.start(
          standIns,
          new AwsApi(
              new LocalChain(
                  region,
                  o.names(),
                  createdAt,
                  alarms,
                  topics,
                  function,
                  TriggerHandler.class.getName() + "::handleRequest",
                  launcher,
                  scheduler,
                  queueUrl(standIns, o.names().queue()),
                  queueUrl(standIns, o.names().deadLetterQueue()))));
      // It reads the other parts: it stops before them.
      started.remove(endpoint);
      started.add(endpoint);
      monitor.start(o.monitorPeriod());
      alarm.start(scheduler);
      reconciler.start(scheduler, o.alarmPeriod());
      // At JVM shutdown (Ctrl-C, SIGTERM) every hook runs at once; this one stops the parts in
      // order, and dynalite's own waits for it.
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      standIns.stopAtShutdownAfterOwner(SHUTDOWN_WAIT);
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
  }

  /** How long dynalite's own shutdown hook waits for this cloud to stop its workers first. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

  private final List<Runnable> beforeShutdown = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Thread shutdownHook = new Thread(this::shutdown, "local-cloud-stop");

  /**
   * Runs {@code action} at JVM shutdown before anything stops (a command stopping its producer and
   * printing what it has, say); then the cloud stops as {@link #close()} does.
   */
  public void beforeShutdown(Runnable action) {
    beforeShutdown.add(Objects.requireNonNull(action, "action"));
  }

  private void shutdown() {
    runBeforeShutdown();
    closeAll();
  }

  private boolean ranBeforeShutdown;

  /**
   * The actions of {@link #beforeShutdown}, once: from this cloud's hook or from a command's own
   * hook that closes it, whichever comes first (the other waits for them).
   */
  private synchronized void runBeforeShutdown() {
    if (ranBeforeShutdown) {
      return;
    }
    ranBeforeShutdown = true;
    for (Runnable r : beforeShutdown) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.warn("while stopping: {}", e.toString());
      }
    }
  }

  /**
   * Stops deciding: the alarm and the reconciler stop, so no task is launched from now on (a
   * notification already on its way finds the fleet's decisions unchanged). The tasks run on.
   */
  public void stopLaunching() {
    reconciler.close();
    alarms.close();
  }

  /** Starts the local cloud; every part publishes to {@code events}. */
  public static LocalCloud start(LocalCloudOptions options, EventLog events, Clock clock) {
    return new LocalCloud(options, events, clock, UnaryOperator.identity());
  }

  /**
   * As {@link #start(LocalCloudOptions, EventLog, Clock)}, with the worker tasks reaching SQS and
   * DynamoDB at the endpoints {@code taskRoute} gives for the stand-ins' own ({@code surge chaos}
   * puts fault proxies there). Called once, after the stand-ins have started.
   */
  public static LocalCloud start(
      LocalCloudOptions options, EventLog events, Clock clock, UnaryOperator<AwsTarget> taskRoute) {
    return new LocalCloud(options, events, clock, Objects.requireNonNull(taskRoute, "taskRoute"));
  }

  /**
   * The environment of the local function, as the stack gives the Lambda function its own (see the
   * infra's trigger function): the queue, alarm and scaling policy; the cluster, task family,
   * container and {@code startedBy} of the tasks, with placeholder subnets and security groups (the
   * local cluster has no network to place tasks in); the control table; and the one AWS endpoint
   * with the local region and credentials. {@code SURGE_ACTIVATION}, when set for {@code surge}, is
   * passed on.
   */
  static Map<String, String> functionEnvironment(
      LocalCloudOptions o, String queueUrl, java.net.URI awsEndpoint, String region) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(TriggerSettings.QUEUE, queueUrl);
    env.put(TriggerSettings.ALARM, o.names().alarm());
    if (o.policy() instanceof ScalingPolicy.Proportional p) {
      env.put(TriggerSettings.POLICY, "proportional");
      env.put(TriggerSettings.MESSAGES_PER_TASK, Integer.toString(p.messagesPerTask()));
      env.put(TriggerSettings.MAX_TASKS, Integer.toString(p.maxTasks()));
    } else if (o.policy() instanceof ScalingPolicy.Fixed f) {
      env.put(TriggerSettings.POLICY, "fixed");
      env.put(TriggerSettings.TASKS, Integer.toString(f.tasks()));
    } else {
      throw new IllegalArgumentException("no variables for the policy " + o.policy());
    }
    Optional.ofNullable(System.getenv(TriggerSettings.ACTIVATION))
        .ifPresent(a -> env.put(TriggerSettings.ACTIVATION, a));
    env.put(EcsVariables.CLUSTER, o.names().cluster());
    env.put(EcsVariables.TASK_DEFINITION, o.names().taskFamily());
    env.put(EcsVariables.CONTAINER, o.names().container());
    env.put(EcsVariables.SUBNETS, LOCAL_SUBNET);
    env.put(EcsVariables.SECURITY_GROUPS, LOCAL_SECURITY_GROUP);
    env.put(EcsVariables.ASSIGN_PUBLIC_IP, "ENABLED");
    env.put(EcsVariables.STARTED_BY, EcsVariables.DEFAULT_STARTED_BY);
    env.put(ControlSchema.TABLE, o.names().controlTable());
    env.put("AWS_ENDPOINT_URL", awsEndpoint.toString());
    env.put("AWS_REGION", region);
    env.put("AWS_ACCESS_KEY_ID", AwsTarget.DUMMY_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", AwsTarget.DUMMY_KEY);
    return env;
  }

  /** The subnet the local function's {@code RunTask} names: the local cluster ignores it. */
  static final String LOCAL_SUBNET = LocalChain.SUBNET;

  /** The security group the local function's {@code RunTask} names: ignored as the subnet is. */
  static final String LOCAL_SECURITY_GROUP = LocalChain.SECURITY_GROUP;

  /** The URL of queue {@code name} as the SQS endpoint (through its boundary) gives it. */
  private static String queueUrl(StandIns standIns, String name) {
    return standIns.sqsEndpoint() + "/" + TopicConfig.LOCAL_ACCOUNT + "/" + name;
  }

  /** The deployed stack's backlog alarm, with this cloud's period and threshold. */
  public static AlarmSpec spec(LocalCloudOptions o) {
    return AlarmSpec.backlog(
        o.names().alarm(), o.names().queue(), o.alarmPeriod(), o.alarmThreshold());
  }

  /**
   * The stack's description of its backlog alarm, with the local threshold: what the chain's alarm
   * shows until a {@code PutMetricAlarm} replaces it.
   */
  static String description(AlarmSpec spec, String queue) {
    double t = spec.threshold();
    String threshold = t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    return "More than "
        + threshold
        + " messages visible in "
        + queue
        + ": notifies the topic, whose function starts workers";
  }

  /**
   * An alarm's actions for a state change: CloudWatch's notification published to each topic its
   * actions for the new state name (the chain's alarm, as in the seed: its topic on ALARM).
   */
  private void runActions(LocalAlarm a, AlarmTransition t, String region) {
    LocalAlarm.Settings settings = a.settings();
    for (String arn : settings.actionsFor(t.to())) {
      Optional<LocalTopic> target = topics.byArn(arn);
      if (target.isEmpty()) {
        log.warn("alarm {}: its action {} names no topic of the local cloud", a.name(), arn);
        continue;
      }
      AlarmNotification n =
          AlarmNotifications.of(
              a.spec(),
              t,
              region,
              TopicConfig.LOCAL_ACCOUNT,
              settings.description(),
              Optional.of(a.configuredAt()),
              settings.actions());
      target.get().publish(n.subject(), n.toJson());
    }
  }

  /**
   * The visible messages of the queue named {@code queue} in the SQS stand-in, as SQS publishes
   * them: none while no such queue exists.
   */
  private LocalAlarm.Metric visibleMessages(String queue) {
    return () -> {
      try {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        return OptionalDouble.of(new SqsBacklogProbe(sqs, url).depth().visible());
      } catch (QueueDoesNotExistException e) {
        return OptionalDouble.empty();
      }
    };
  }

  /** The options it runs with. */
  public LocalCloudOptions options() {
    return options;
  }

  /**
   * Endpoints, region and dummy credentials of the local cloud, as other tools should use them:
   * every service at the one AWS endpoint ({@code AWS_ENDPOINT_URL}), SQS (through its boundary,
   * {@link dev.surge.standins.SqsBoundary}) and DynamoDB at their own ports too.
   */
  public AwsTarget target() {
    return target;
  }

  /** The one AWS endpoint, e.g. {@code http://127.0.0.1:4566}. */
  public java.net.URI awsEndpoint() {
    return endpoint.endpoint();
  }

  /** The stand-ins. */
  public StandIns standIns() {
    return standIns;
  }

  /** The work queue and its dead-letter queue. */
  public QueuePair queues() {
    return queues;
  }

  /** An SQS client on the stand-in. */
  public SqsClient sqs() {
    return sqs;
  }

  /** A DynamoDB client on the stand-in. */
  public DynamoDbClient dynamodb() {
    return dynamodb;
  }

  /** The task launcher. */
  public ProcessTaskLauncher launcher() {
    return launcher;
  }

  /** The alarm. */
  public LocalAlarm alarm() {
    return alarm;
  }

  /** The monitor. */
  public PipelineMonitor monitor() {
    return monitor;
  }

  /** Messages other tools have sent to the work queue through the SQS endpoint so far. */
  public long arrivals() {
    return arrivals.get();
  }

  /**
   * Messages waiting in the work queue that purges through the SQS endpoint have removed so far
   * (those in flight at a purge are not counted: the tasks holding them still write their items).
   */
  public long purged() {
    return purged.get();
  }

  /** Messages that purges through the SQS endpoint have removed from the dead-letter queue. */
  public long purgedDeadLetters() {
    return purgedDeadLetters.get();
  }

  /** The topic. */
  public LocalTopic topic() {
    return topic;
  }

  /** The function. */
  public LocalFunction function() {
    return function;
  }

  /**
   * The function's environment: the variables the stack gives the Lambda function, naming this
   * cloud's resources and its one AWS endpoint. {@link AwsWiring#service} builds the function's
   * trigger from it, as the Lambda runtime's handler does from its own.
   */
  public Map<String, String> functionEnvironment() {
    return functionEnvironment;
  }

  /** Every alarm: the chain's and those made through the AWS endpoint. */
  public LocalAlarms alarms() {
    return alarms;
  }

  /** Every topic: the chain's and those made through the AWS endpoint. */
  public LocalTopics topics() {
    return topics;
  }

  /**
   * The function's fleet lease writes its item when taken and when released, and twice per task
   * started (the renewal before RunTask, then the task's ARN).
   */
  static final int LEASE_WRITES_PER_INVOCATION = 2;

  static final int LEASE_WRITES_PER_TASK = 2;

  /**
   * What the cloud has used so far as AWS would bill it: the fleet's task time, SQS requests and
   * items (from the workers' summaries), the SQS requests other tools sent through the SQS
   * endpoint, the function's invocations and billed duration (one {@code GetQueueAttributes} each
   * and its lease's writes) and the topic's publishes. The reconcile schedule runs here once per
   * alarm period, in AWS once a minute: its invocations count at AWS's pace. Surge's own producer
   * in this JVM goes direct: its caller adds its requests. The monitor's reads (this cloud's own
   * view of the run) are not counted; nor are {@code RunTask} and {@code ListTasks}, which ECS does
   * not bill.
   */
  public RunUsage usage() {
    RunUsage fleet = launcher.usage(clock.instant());
    long ran = function.invocations();
    long scheduled = function.scheduledInvocations();
    double perMinute = options.alarmPeriod().toMillis() / (double) Duration.ofMinutes(1).toMillis();
    long invocations = (ran - scheduled) + Math.round(scheduled * perMinute);
    double gbSeconds = ran == 0 ? 0 : function.billedGbSeconds() * invocations / ran;
    return new RunUsage(
        fleet.tasks(),
        fleet.taskSeconds(),
        fleet.sqsRequests() + standIns.sqsRequestsFromOtherTools() + invocations,
        fleet.dynamoDbWriteUnits()
            + LEASE_WRITES_PER_INVOCATION * invocations
            + LEASE_WRITES_PER_TASK * fleet.tasks(),
        invocations,
        gbSeconds,
        topic.published(),
        0);
  }

  /** Stops everything, workers first (SIGTERM, then SIGKILL after their stop timeout). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and this cloud's hook runs too: what was to run first, first
      runBeforeShutdown();
    } catch (IllegalArgumentException e) {
      // never added
    }
    closeAll();
  }

  private synchronized void closeAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("while stopping: {}", e.toString());
      }
    }
    started.clear();
  }

  private static void shutdown(ScheduledExecutorService s) throws InterruptedException {
    s.shutdownNow();
    s.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The trigger handler, with each decision published for viewers. */
  private record Reporting(TriggerHandler handler, EventLog events, Clock clock)
      implements RequestHandler<SNSEvent, String> {
    @Override
    public String handleRequest(SNSEvent event, Context context) {
      boolean scheduled = event.getRecords() == null || event.getRecords().isEmpty();
      long t0 = System.nanoTime();
      List<TriggerReport> reports = handler.handle(event);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      List<String> lines = new ArrayList<>();
      String cause = scheduled ? TriggerDecisionLine.RECONCILE : TriggerDecisionLine.NOTIFICATION;
      for (int i = 0; i < reports.size(); i++) {
        TriggerReport r = reports.get(i);
        // In Lambda the trigger's decision lines land in the function's log stream; here its
        // logging goes to the console, so the stream gets them from here.
        if (context instanceof LocalContext c) {
          c.record(TriggerDecisionLine.write(r, scheduled ? cause : messageId(event, i), millis));
        }
        // The same fields the AWS watcher reads back from the function's decision lines; a tick
        // that found nothing to do is not news.
        if (!(scheduled && r.action() == TriggerReport.Action.IDLE)) {
          events.publish(TriggerDecisionLine.Decision.of(r, cause).toEvent(clock.instant()));
        }
        lines.add(r.summary());
      }
      return String.join("\n", lines);
    }

    private static String messageId(SNSEvent event, int i) {
      SNSEvent.SNSRecord r = i < event.getRecords().size() ? event.getRecords().get(i) : null;
      return r == null || r.getSNS() == null || r.getSNS().getMessageId() == null
          ? ""
          : r.getSNS().getMessageId();
    }
  }
}
