package dev.surge.trigger;

import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskLauncher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * Starts workers as ECS Fargate tasks ({@code RunTask}), tagged with {@link
 * EcsSettings#startedBy()}, and counts the live ones through an {@link EcsTaskDirectory}.
 *
 * <p>{@link #launch} never throws: each task that did not start is a {@link LaunchFailure}. An SDK
 * error on one {@code RunTask} call (after the SDK's own retries) fails that call's tasks and stops
 * the launch: the remaining tasks are reported as {@code NOT_ATTEMPTED}, because the next call
 * would meet the same throttling, permission or configuration error, and the trigger decides again
 * on the next notification or reconcile (running tasks are subtracted then). {@link #running} lets
 * SDK errors through: without the count there is no decision to make.
 *
 * <p>ECS's reads are eventually consistent: a task just started may be missing from {@code
 * ListTasks} for a while, and a decision that trusted the listing alone would start it again. So
 * the launcher writes what it started into a {@link LaunchLedger} and counts the ledger's tasks of
 * the last {@link #REMEMBERED} too, unless {@code DescribeTasks} says they stopped. The ledger is
 * this launcher's memory by default; in AWS it is the {@link DynamoDbFleetLease} every instance
 * shares, which also refuses a {@code RunTask} outside the fleet's lease (reported as {@code
 * NO_LEASE}). Each {@code RunTask} carries a {@code clientToken}, so an SDK retry of a call whose
 * answer was lost does not start a second batch.
 */
public final class EcsTaskLauncher implements TaskLauncher {
  /** RunTask starts at most 10 tasks per call. */
  public static final int MAX_PER_CALL = 10;

  private static final Logger LOG = LoggerFactory.getLogger(EcsTaskLauncher.class);

  /** How long a started task counts as running while the listing does not show it. */
  public static final Duration REMEMBERED = Duration.ofMinutes(2);

  private final EcsClient ecs;
  private final EcsSettings settings;
  private final EcsTaskDirectory directory;
  private final Clock clock;
  private final LaunchLedger ledger;

  /** Launches with {@code ecs} as {@code settings} say. */
  public EcsTaskLauncher(EcsClient ecs, EcsSettings settings) {
    this(ecs, settings, Clock.systemUTC());
  }

  /** As {@link #EcsTaskLauncher(EcsClient, EcsSettings)}, remembering launches by {@code clock}. */
  public EcsTaskLauncher(EcsClient ecs, EcsSettings settings, Clock clock) {
    this(ecs, settings, clock, LaunchLedger.inMemory());
  }

  /** As the other constructors, remembering launches in {@code ledger}. */
  public EcsTaskLauncher(EcsClient ecs, EcsSettings settings, Clock clock, LaunchLedger ledger) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.directory = new EcsTaskDirectory(ecs, settings);
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
      try {
        ledger.beforeLaunch();
      } catch (RuntimeException e) {
        LOG.warn("no RunTask on cluster {}: {}", settings.cluster(), e.getMessage());
        LaunchFailure refused =
            new LaunchFailure("NO_LEASE", Objects.toString(e.getMessage(), e.toString()));
        result = result.plus(new LaunchResult(List.of(), Collections.nCopies(remaining, refused)));
        break;
      }
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

  /**
   * The listed live tasks, plus the ledger's tasks started within {@link #REMEMBERED} that the
   * listing does not show yet and {@code DescribeTasks} does not report stopped (those the ledger
   * forgets).
   */
  @Override
  public int running() {
    Set<String> live = new HashSet<>(directory.runningArns());
    Instant now = clock.instant();
    List<String> unlisted = new ArrayList<>();
    for (String arn : ledger.recent(now).keySet()) {
      if (!live.contains(arn)) {
        unlisted.add(arn);
      }
    }
    for (int i = 0; i < unlisted.size(); i += EcsTaskDirectory.MAX_DESCRIBE) {
      List<String> chunk =
          unlisted.subList(i, Math.min(unlisted.size(), i + EcsTaskDirectory.MAX_DESCRIBE));
      Set<String> stopped = new HashSet<>();
      ecs.describeTasks(b -> b.cluster(settings.cluster()).tasks(chunk))
          .tasks()
          .forEach(
              t -> {
                if ("STOPPED".equals(t.lastStatus()) || "STOPPED".equals(t.desiredStatus())) {
                  stopped.add(t.taskArn());
                }
              });
      for (String arn : chunk) {
        if (!stopped.contains(arn)) {
          // Not listed yet, or not even described yet (MISSING): on its way.
          live.add(arn);
        }
      }
      ledger.forget(stopped);
    }
    if (!unlisted.isEmpty()) {
      LOG.debug("{} recently started task(s) are not listed yet", unlisted.size());
    }
    return live.size();
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
                    // The same token on the SDK's retries: ECS starts the batch once.
                    .clientToken(UUID.randomUUID().toString())
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
    List<String> arns = response.tasks().stream().map(t -> t.taskArn()).toList();
    try {
      ledger.record(arns, clock.instant());
    } catch (RuntimeException e) {
      // The tasks run all the same: report them started; the error says what they may cost.
      LOG.error("{}", Objects.toString(e.getMessage(), e.toString()));
    }
    List<String> started =
        response.tasks().stream().map(t -> EcsTaskDirectory.taskId(t.taskArn())).toList();
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
}
