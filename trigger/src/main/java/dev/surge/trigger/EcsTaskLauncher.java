package dev.surge.trigger;

import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskLauncher;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Starts workers as ECS Fargate tasks ({@code RunTask}) and lists the ones it started (tagged with
 * {@link EcsSettings#startedBy()}).
 *
 * <p>{@link #launch} never throws: each task that did not start is a {@link LaunchFailure}. An SDK
 * error on one {@code RunTask} call (after the SDK's own retries) fails that call's tasks and stops
 * the launch: the remaining tasks are reported as {@code NOT_ATTEMPTED}, because the next call
 * would meet the same throttling, permission or configuration error, and the trigger decides again
 * on the next notification or reconcile (running tasks are subtracted then). {@link #running} and
 * {@link #tasks} let SDK errors through: without the count there is no decision to make.
 */
public final class EcsTaskLauncher implements TaskLauncher, TaskDirectory {
  /** RunTask starts at most 10 tasks per call. */
  public static final int MAX_PER_CALL = 10;

  /** DescribeTasks describes at most 100 tasks per call. */
  public static final int MAX_DESCRIBE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(EcsTaskLauncher.class);

  private final EcsClient ecs;
  private final EcsSettings settings;

  /** Launches with {@code ecs} as {@code settings} say. */
  public EcsTaskLauncher(EcsClient ecs, EcsSettings settings) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public LaunchResult launch(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    LaunchResult result = LaunchResult.empty();
    int remaining = count;
    while (remaining > 0) {
      int n = Math.min(MAX_PER_CALL, remaining);
      remaining -= n;
      try {
        result = result.plus(runTask(n));
      } catch (SdkException e) {
        LaunchFailure failure = failureOf(e);
        LOG.warn(
            "RunTask of {} task(s) on cluster {} failed: {} {}",
            n,
            settings.cluster(),
            failure.reason(),
            failure.detail());
        result = result.plus(new LaunchResult(List.of(), Collections.nCopies(n, failure)));
        if (remaining > 0) {
          LaunchFailure skipped =
              new LaunchFailure(
                  "NOT_ATTEMPTED", "an earlier RunTask call failed: " + failure.reason());
          result =
              result.plus(new LaunchResult(List.of(), Collections.nCopies(remaining, skipped)));
        }
        break;
      }
    }
    return result;
  }

  @Override
  public int running() {
    // desiredStatus RUNNING includes tasks still PROVISIONING or PENDING: they count as fleet.
    return listTaskArns(DesiredStatus.RUNNING).size();
  }

  @Override
  public List<TaskView> tasks() {
    List<String> arns = new ArrayList<>(listTaskArns(DesiredStatus.RUNNING));
    arns.addAll(listTaskArns(DesiredStatus.STOPPED));
    List<TaskView> views = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += MAX_DESCRIBE) {
      List<String> chunk = arns.subList(i, Math.min(arns.size(), i + MAX_DESCRIBE));
      var response = ecs.describeTasks(b -> b.cluster(settings.cluster()).tasks(chunk));
      response.tasks().forEach(t -> views.add(view(t)));
      response
          .failures()
          .forEach(f -> LOG.debug("DescribeTasks skipped {}: {}", f.arn(), f.reason()));
    }
    views.sort(Comparator.comparing(TaskView::startedAt).thenComparing(TaskView::taskId));
    return views;
  }

  private LaunchResult runTask(int n) {
    RunTaskResponse response =
        ecs.runTask(
            b ->
                b.cluster(settings.cluster())
                    .taskDefinition(settings.taskDefinition())
                    .launchType(LaunchType.FARGATE)
                    .count(n)
                    .startedBy(settings.startedBy())
                    .networkConfiguration(
                        net ->
                            net.awsvpcConfiguration(
                                vpc ->
                                    vpc.subnets(settings.subnets())
                                        .securityGroups(settings.securityGroups())
                                        .assignPublicIp(
                                            settings.assignPublicIp()
                                                ? AssignPublicIp.ENABLED
                                                : AssignPublicIp.DISABLED))));
    List<String> started = response.tasks().stream().map(t -> taskId(t.taskArn())).toList();
    List<LaunchFailure> failures = new ArrayList<>();
    for (Failure f : response.failures()) {
      LaunchFailure failure = failureOf(f);
      LOG.warn("RunTask could not start a task: {} {}", failure.reason(), failure.detail());
      failures.add(failure);
    }
    int missing = n - started.size() - failures.size();
    if (missing > 0) {
      // The contract is one outcome per task asked for; ECS may summarize several in one failure.
      failures.addAll(
          Collections.nCopies(
              missing,
              new LaunchFailure(
                  "NOT_STARTED",
                  "RunTask started "
                      + started.size()
                      + " of "
                      + n
                      + " task(s) and listed "
                      + response.failures().size()
                      + " failure(s)")));
    }
    return new LaunchResult(started, failures);
  }

  private List<String> listTaskArns(DesiredStatus status) {
    // ECS documents startedBy as a filter to use alone; desiredStatus RUNNING is also its default,
    // so the running count is the same either way.
    ListTasksRequest request =
        ListTasksRequest.builder()
            .cluster(settings.cluster())
            .startedBy(settings.startedBy())
            .desiredStatus(status)
            .build();
    List<String> arns = new ArrayList<>();
    ecs.listTasksPaginator(request).forEach(page -> arns.addAll(page.taskArns()));
    return arns;
  }

  private TaskView view(Task t) {
    String id = taskId(t.taskArn());
    Optional<Container> worker =
        t.containers().stream()
            .filter(c -> settings.container().equals(c.name()))
            .findFirst()
            .or(() -> t.containers().stream().findFirst());
    Instant created = firstNonNull(t.createdAt(), t.startedAt(), Instant.EPOCH);
    return new TaskView(
        id,
        host(t).orElse(id),
        state(t.lastStatus()),
        created,
        Optional.ofNullable(t.stoppedAt()),
        worker.map(Container::exitCode),
        Optional.ofNullable(t.stoppedReason()));
  }

  /** Maps ECS's lastStatus onto the three states a viewer needs. */
  static TaskState state(String lastStatus) {
    if (lastStatus == null) {
      return TaskState.PROVISIONING;
    }
    return switch (lastStatus) {
      case "PROVISIONING", "PENDING", "ACTIVATING" -> TaskState.PROVISIONING;
      case "STOPPED", "DELETED" -> TaskState.STOPPED;
      // RUNNING, and DEACTIVATING/STOPPING/DEPROVISIONING: still up, on its way out.
      default -> TaskState.RUNNING;
    };
  }

  /** The task's private DNS name, else its private IP, from its network interface. */
  private static Optional<String> host(Task t) {
    String ip = null;
    for (Attachment a : t.attachments()) {
      if (!"ElasticNetworkInterface".equals(a.type())) {
        continue;
      }
      for (KeyValuePair kv : a.details()) {
        if ("privateDnsName".equals(kv.name()) && notBlank(kv.value())) {
          return Optional.of(kv.value());
        }
        if ("privateIPv4Address".equals(kv.name()) && notBlank(kv.value())) {
          ip = kv.value();
        }
      }
    }
    return Optional.ofNullable(ip);
  }

  /** The id at the end of a task ARN ({@code arn:aws:ecs:region:account:task/cluster/id}). */
  static String taskId(String arn) {
    if (arn == null) {
      return "";
    }
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static LaunchFailure failureOf(Failure f) {
    String reason = f.reason() == null ? "UNKNOWN" : f.reason();
    StringBuilder detail = new StringBuilder();
    if (f.arn() != null) {
      detail.append(f.arn());
    }
    if (f.detail() != null) {
      detail.append(detail.length() > 0 ? ": " : "").append(f.detail());
    }
    return new LaunchFailure(reason, detail.toString());
  }

  private static LaunchFailure failureOf(SdkException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
      String code = s.awsErrorDetails().errorCode();
      return new LaunchFailure(
          code == null ? "HTTP_" + s.statusCode() : code,
          Objects.toString(s.awsErrorDetails().errorMessage(), "")
              + " (request id "
              + s.requestId()
              + ")");
    }
    return new LaunchFailure("CLIENT_ERROR", Objects.toString(e.getMessage(), e.toString()));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    throw new IllegalArgumentException("no value");
  }
}
