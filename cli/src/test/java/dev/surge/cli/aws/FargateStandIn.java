package dev.surge.cli.aws;

import com.sun.net.httpserver.HttpServer;
import dev.surge.standins.aws.MotoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What Fargate and its agent do for the tasks moto's ECS accepts, which moto cannot do (running a
 * container needs Docker): for every task of the cluster that ECS wants RUNNING, it runs the task
 * definition's container from the unpacked {@link ContainerImage} as a process, with
 *
 * <ul>
 *   <li>the image's environment, then the container definition's, then the task's overrides;
 *   <li>the task role's credentials (assumed by {@code roles}, as ECS gives a task its role) and
 *       the emulator's endpoint ({@code AWS_ENDPOINT_URL}, the one variable a real task does not
 *       get);
 *   <li>{@code ECS_CONTAINER_METADATA_URI_V4} pointing at a task metadata endpoint served here;
 *   <li>the container's host name (Fargate: the task's private DNS name) as {@code SURGE_HOST},
 *       since processes on one machine share its host name;
 *   <li>its output sent to the log group and stream of its {@code awslogs} configuration, written
 *       with the execution role's credentials, as the log driver writes.
 * </ul>
 *
 * When the process exits, the exit is reported to moto as the agent reports it; when ECS wants a
 * running task STOPPED ({@code StopTask}), the process gets SIGTERM, then SIGKILL after the
 * container's stop timeout. {@link #hold()} leaves new tasks without a container (capacity that
 * never comes), {@link #release()} starts them again.
 */
final class FargateStandIn implements AutoCloseable {
  // How often ECS is asked which tasks it wants running. moto, with IAM enforced, spent about 20 ms
  // of CPU on a request of this class on average; at 300 ms this poll was about half of them. A
  // task's container starts within a second of RunTask (Fargate's take tens of seconds).
  private static final Duration POLL = Duration.ofSeconds(1);

  private final MotoServer moto;
  private final EcsClient ecs;
  private final String cluster;
  private final ContainerImage image;
  private final Function<String, AwsCredentials> roles;
  private final Function<AwsCredentials, CloudWatchLogsClient> logsAs;
  private final Path logDir;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fargate-stand-in");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private final Map<String, TaskDefinition> definitions = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final HttpServer metadata;
  private volatile boolean holding;

  /**
   * @param ecs reads the cluster's tasks (an operator's credentials)
   * @param roles credentials of a role, by ARN (the task role and the execution role)
   * @param logsAs a CloudWatch Logs client signed with the given credentials
   * @param logDir where each container's output is also written, one file per task
   */
  FargateStandIn(
      MotoServer moto,
      EcsClient ecs,
      String cluster,
      ContainerImage image,
      Function<String, AwsCredentials> roles,
      Function<AwsCredentials, CloudWatchLogsClient> logsAs,
      Path logDir) {
    this.moto = moto;
    this.ecs = ecs;
    this.cluster = cluster;
    this.image = image;
    this.roles = roles;
    this.logsAs = logsAs;
    this.logDir = logDir;
    try {
      Files.createDirectories(logDir);
      metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metadata.createContext(
        "/",
        exchange -> {
          String id = exchange.getRequestURI().getPath().split("/")[1];
          Container c = containers.get(id);
          byte[] body =
              c == null
                  ? "{}".getBytes(StandardCharsets.UTF_8)
                  : ("{\"Cluster\":\"" + cluster + "\",\"TaskARN\":\"" + c.taskArn + "\"}")
                      .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(c == null ? 404 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
  }

  /** Starts following the cluster. */
  FargateStandIn start() {
    metadata.start();
    loop.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** New tasks get no container until {@link #release()}. */
  void hold() {
    holding = true;
  }

  /** New tasks get their containers again. */
  void release() {
    holding = false;
  }

  /** The exit code of each task's container that has exited, by task id. */
  Map<String, Integer> exits() {
    Map<String, Integer> out = new LinkedHashMap<>();
    containers.forEach(
        (id, c) -> {
          if (!c.process.isAlive()) {
            out.put(id, c.process.exitValue());
          }
        });
    return out;
  }

  /** Ids of the tasks whose container was started. */
  Set<String> started() {
    return Set.copyOf(containers.keySet());
  }

  /** Containers still running. */
  long alive() {
    return containers.values().stream().filter(c -> c.process.isAlive()).count();
  }

  /** What went wrong while following the cluster (empty when nothing did). */
  List<String> errors() {
    return List.copyOf(errors);
  }

  /** A container's output, as written to its log file so far (empty before it starts). */
  String output(String taskId) throws IOException {
    Path file = logDir.resolve(taskId + ".log");
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private void poll() {
    try {
      List<String> wanted = new ArrayList<>();
      ecs.listTasksPaginator(b -> b.cluster(cluster).desiredStatus(DesiredStatus.RUNNING))
          .forEach(page -> wanted.addAll(page.taskArns()));
      List<String> fresh =
          wanted.stream()
              .filter(a -> !containers.containsKey(id(a)) && !skipped.contains(id(a)))
              .toList();
      if (!fresh.isEmpty()) {
        if (holding) {
          // Capacity that never comes: these tasks never get a container.
          fresh.forEach(a -> skipped.add(id(a)));
        } else {
          for (Task t : ecs.describeTasks(b -> b.cluster(cluster).tasks(fresh)).tasks()) {
            run(t);
          }
        }
      }
      for (Container c : containers.values()) {
        if (c.process.isAlive() && !wanted.contains(c.taskArn) && !c.stopping) {
          stop(c); // StopTask: ECS sends SIGTERM, then SIGKILL after the stop timeout.
        }
      }
    } catch (RuntimeException e) {
      errors.add(e.toString());
    }
  }

  private void run(Task task) {
    TaskDefinition def =
        definitions.computeIfAbsent(
            task.taskDefinitionArn(),
            arn -> ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition());
    ContainerDefinition spec = def.containerDefinitions().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.putAll(image.environment());
    spec.environment().forEach(kv -> env.put(kv.name(), kv.value()));
    task.overrides().containerOverrides().stream()
        .filter(o -> spec.name().equals(o.name()))
        .forEach(o -> o.environment().forEach(kv -> env.put(kv.name(), kv.value())));
    AwsCredentials taskRole = roles.apply(def.taskRoleArn());
    env.putAll(MotoClients.of(moto.endpoint(), taskRole).environment());
    String id = id(task.taskArn());
    env.put(
        "ECS_CONTAINER_METADATA_URI_V4",
        "http://127.0.0.1:" + metadata.getAddress().getPort() + "/" + id);
    env.put("HOSTNAME", privateDnsName(task, id));
    env.put("SURGE_HOST", privateDnsName(task, id));
    Map<String, String> logOptions = spec.logConfiguration().options();
    LogShipper shipper =
        new LogShipper(
            logsAs.apply(roles.apply(def.executionRoleArn())),
            logOptions.get("awslogs-group"),
            logOptions.get("awslogs-stream-prefix") + "/" + spec.name() + "/" + id,
            Clock.systemUTC());
    Path file = logDir.resolve(id + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(image.command(javaExecutable())).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      Container c =
          new Container(
              task.taskArn(), p, shipper, spec.stopTimeout() == null ? 30 : spec.stopTimeout());
      containers.put(id, c);
      Thread out = new Thread(() -> pump(c, file), "container-" + id);
      out.setDaemon(true);
      out.start();
    } catch (IOException e) {
      moto.containerExited(cluster, task.taskArn(), 127);
      errors.add("cannot start the container of " + id + ": " + e);
    }
  }

  private void pump(Container c, Path file) {
    try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(c.process.getInputStream(), StandardCharsets.UTF_8));
        var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String line;
      long lastFlush = System.nanoTime();
      while ((line = r.readLine()) != null) {
        w.write(line);
        w.newLine();
        w.flush();
        c.shipper.line(line);
        if (System.nanoTime() - lastFlush > Duration.ofSeconds(1).toNanos()) {
          ship(c);
          lastFlush = System.nanoTime();
        }
      }
      int code = c.process.waitFor();
      ship(c);
      moto.containerExited(cluster, c.taskArn, code);
    } catch (IOException | RuntimeException e) {
      errors.add("following " + c.taskArn + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void ship(Container c) {
    try {
      c.shipper.flush();
    } catch (RuntimeException e) {
      errors.add("shipping the logs of " + c.taskArn + ": " + e);
    }
  }

  private void stop(Container c) {
    c.stopping = true;
    c.process.destroy();
    Thread kill =
        new Thread(
            () -> {
              try {
                if (!c.process.waitFor(c.stopTimeoutSeconds, TimeUnit.SECONDS)) {
                  c.process.destroyForcibly();
                }
              } catch (InterruptedException e) {
                c.process.destroyForcibly();
              }
            },
            "stop-" + id(c.taskArn));
    kill.setDaemon(true);
    kill.start();
  }

  private static String privateDnsName(Task task, String fallback) {
    return task.attachments().stream()
        .flatMap(a -> a.details().stream())
        .filter(kv -> "privateDnsName".equals(kv.name()) && kv.value() != null)
        .map(KeyValuePair::value)
        .findFirst()
        .orElse(fallback);
  }

  private static String id(String taskArn) {
    return taskArn.substring(taskArn.lastIndexOf('/') + 1);
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Stops following, ends every container (SIGTERM, then SIGKILL) and the metadata endpoint. */
  @Override
  public void close() {
    loop.shutdownNow();
    for (Container c : containers.values()) {
      c.process.destroy();
    }
    for (Container c : containers.values()) {
      try {
        if (!c.process.waitFor(10, TimeUnit.SECONDS)) {
          c.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        c.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    metadata.stop(0);
  }

  private static final class Container {
    final String taskArn;
    final Process process;
    final LogShipper shipper;
    final int stopTimeoutSeconds;
    volatile boolean stopping;

    Container(String taskArn, Process process, LogShipper shipper, int stopTimeoutSeconds) {
      this.taskArn = taskArn;
      this.process = process;
      this.shipper = shipper;
      this.stopTimeoutSeconds = stopTimeoutSeconds;
    }
  }
}
