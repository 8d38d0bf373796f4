package dev.surge.trigger;

import dev.surge.core.port.LaunchFailure;
import dev.surge.core.port.LaunchResult;
import dev.surge.core.port.TaskLauncher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.ecs.model.Task;

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
 * NO_LEASE}). Each {@code RunTask} carries a {@code clientToken} drawn for that call, so an SDK
 * retry of a call whose answer was lost does not start a second batch.
 *
 * <p>A {@code RunTask} that fails may still have started its tasks: an attempt that timed out or
 * lost its connection, or a server error (5xx), says nothing of what ECS did (ECS warns of
 * "exceptions because of timeouts or server issues occurring after the resources are mutated", ECS
 * API Reference, "Ensuring idempotency"). Only a client error (4xx) on every attempt means ECS
 * refused the request. So each call is written into the ledger as a {@link PendingLaunch} before it
 * is made; its answer replaces it with the tasks it started, a refusal drops it, and any other
 * failure leaves it pending: its tasks count, as running, until {@code ListTasks} shows as many
 * tasks the ledger does not name, created since the call (then the listing counts them), or until
 * {@link #REMEMBERED} has passed. Each call's time, its retries included, is bounded by {@link
 * #RUN_TASK_TIMEOUT} and by what the ledger allows (the DynamoDB ledger: what is left of the lease
 * but the part kept for writing the outcome), so a call never outlasts the fleet's lease.
 */
public final class EcsTaskLauncher implements TaskLauncher {
  /** RunTask starts at most 10 tasks per call. */
  public static final int MAX_PER_CALL = 10;

  private static final Logger LOG = LoggerFactory.getLogger(EcsTaskLauncher.class);

  /** How long a started task counts as running while the listing does not show it. */
  public static final Duration REMEMBERED = Duration.ofMinutes(2);

  /** The longest one {@code RunTask} call may take, its retries included. */
  public static final Duration RUN_TASK_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How much earlier than its {@code RunTask} a task of a pending launch may be created by ECS's
   * clock (the call's time is the trigger's).
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

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
      // The token is drawn for this call (never at init: see DynamoDbFleetLease), so only the
      // SDK's retries of this call share it.
      PendingLaunch call = new PendingLaunch(UUID.randomUUID().toString(), n, clock.instant());
      Duration bound;
      try {
        bound =
            ledger
                .beforeLaunch(call)
                .filter(b -> b.compareTo(RUN_TASK_TIMEOUT) < 0)
                .orElse(RUN_TASK_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("no RunTask on cluster {}: {}", settings.cluster(), e.getMessage());
        LaunchFailure refused =
            new LaunchFailure("NO_LEASE", Objects.toString(e.getMessage(), e.toString()));
        result = result.plus(new LaunchResult(List.of(), Collections.nCopies(remaining, refused)));
        break;
      }
      remaining -= n;
      try {
        result = result.plus(runTask(call, bound));
      } catch (SdkException e) {
        LaunchFailure failure = failureOf(e);
        if (refused(e)) {
          LOG.warn(
              "RunTask of {} task(s) on cluster {} failed: {} {}",
              n,
              settings.cluster(),
              failure.reason(),
              failure.detail());
          settle(call, List.of());
        } else {
          LOG.warn(
              "RunTask of {} task(s) on cluster {} failed: {} {}; it may have started them, so they"
                  + " count as running until ListTasks shows them or {} s have passed",
              n,
              settings.cluster(),
              failure.reason(),
              failure.detail(),
              REMEMBERED.toSeconds());
        }
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
   * forgets), plus the tasks pending launches may have started that the listing does not show yet
   * (see {@link #unconfirmed}).
   */
  @Override
  public int running() {
    List<String> listed = directory.runningArns();
    Set<String> live = new HashSet<>(listed);
    Instant now = clock.instant();
    Map<String, Instant> recent = ledger.recent(now);
    List<String> unlisted = new ArrayList<>();
    for (String arn : recent.keySet()) {
      if (!live.contains(arn)) {
        unlisted.add(arn);
      }
    }
    for (int i = 0; i < unlisted.size(); i += EcsTaskDirectory.MAX_DESCRIBE) {
      List<String> chunk =
          unlisted.subList(i, Math.min(unlisted.size(), i + EcsTaskDirectory.MAX_DESCRIBE));
      Set<String> stopped = new HashSet<>();
      describe(chunk)
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
    List<PendingLaunch> pending = ledger.pending(now);
    int unconfirmed = pending.isEmpty() ? 0 : unconfirmed(pending, listed, recent.keySet());
    if (unconfirmed > 0) {
      LOG.info(
          "{} task(s) of RunTask calls without an answer count as running until ListTasks shows"
              + " them",
          unconfirmed);
    }
    return live.size() + unconfirmed;
  }

  /**
   * How many tasks the {@code pending} launches may have started that {@code listed} does not show
   * yet. Each launch, the latest first, claims up to its count of the listed tasks the ledger does
   * not name ({@code named}) that ECS created since the call (less {@link #CLOCK_SKEW}) and no
   * later launch claimed; one that claims its whole count is confirmed (the listing counts its
   * tasks now) and the ledger forgets it, the others count what they lack.
   */
  private int unconfirmed(List<PendingLaunch> pending, List<String> listed, Set<String> named) {
    List<String> unnamed = listed.stream().filter(arn -> !named.contains(arn)).toList();
    List<Instant> created = new ArrayList<>();
    for (int i = 0; i < unnamed.size(); i += EcsTaskDirectory.MAX_DESCRIBE) {
      describe(unnamed.subList(i, Math.min(unnamed.size(), i + EcsTaskDirectory.MAX_DESCRIBE)))
          .stream()
          .map(Task::createdAt)
          .filter(Objects::nonNull)
          .forEach(created::add);
    }
    created.sort(Comparator.reverseOrder());
    List<String> confirmed = new ArrayList<>();
    int missing = 0;
    for (int i = pending.size() - 1; i >= 0; i--) {
      PendingLaunch p = pending.get(i);
      Instant since = p.at().minus(CLOCK_SKEW);
      int claimed = 0;
      for (Iterator<Instant> it = created.iterator(); it.hasNext() && claimed < p.count(); ) {
        if (!it.next().isBefore(since)) {
          it.remove();
          claimed++;
        }
      }
      if (claimed == p.count()) {
        confirmed.add(p.clientToken());
      } else {
        missing += p.count() - claimed;
      }
    }
    ledger.confirmed(confirmed);
    return missing;
  }

  private List<Task> describe(List<String> arns) {
    return ecs.describeTasks(b -> b.cluster(settings.cluster()).tasks(arns)).tasks();
  }

  private LaunchResult runTask(PendingLaunch call, Duration bound) {
    int n = call.count();
    RunTaskResponse response =
        ecs.runTask(
            b ->
                b.cluster(settings.cluster())
                    .taskDefinition(settings.taskDefinition())
                    .launchType(LaunchType.FARGATE)
                    .count(n)
                    .startedBy(settings.startedBy())
                    // The same token on the SDK's retries: ECS starts the batch once.
                    .clientToken(call.clientToken())
                    // Every attempt ends in time for a retry; the call, within the lease.
                    .overrideConfiguration(
                        o -> o.apiCallTimeout(bound).apiCallAttemptTimeout(bound.dividedBy(2)))
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
    settle(call, response.tasks().stream().map(t -> t.taskArn()).toList());
    List<String> started =
        response.tasks().stream().map(t -> EcsTaskDirectory.taskId(t.taskArn())).toList();
    List<LaunchFailure> failures = new ArrayList<>();
    // One line per distinct failure: ECS often gives the same one for every task of a call.
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Failure f : response.failures()) {
      LaunchFailure failure = failureOf(f);
      seen.merge(failure.reason() + " " + failure.detail(), 1, Integer::sum);
      failures.add(failure);
    }
    seen.forEach(
        (failure, times) ->
            LOG.warn(
                "RunTask could not start {}: {}",
                times == 1 ? "a task" : times + " tasks",
                failure));
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

  /** Records the answer of {@code call}: the tasks it started, maybe none. */
  private void settle(PendingLaunch call, List<String> arns) {
    try {
      ledger.record(call.clientToken(), arns, clock.instant());
    } catch (RuntimeException e) {
      // The tasks run all the same: report them started; the error says what they may cost.
      LOG.error("{}", Objects.toString(e.getMessage(), e.toString()));
    }
  }

  /**
   * Whether {@code e} says that ECS refused every attempt of the call, so it started nothing: a
   * client error (4xx) on the last attempt and on each earlier one (the SDK adds those as
   * suppressed exceptions). A timeout, a lost connection or a server error (5xx) on any attempt
   * says nothing of what ECS did.
   */
  static boolean refused(SdkException e) {
    if (!clientError(e)) {
      return false;
    }
    Throwable[] earlier = e.getSuppressed();
    Integer attempts = e.numAttempts();
    if (attempts != null && attempts > earlier.length + 1) {
      return false; // an attempt whose failure is not at hand
    }
    for (Throwable t : earlier) {
      if (!clientError(t)) {
        return false;
      }
    }
    return true;
  }

  private static boolean clientError(Throwable t) {
    return t instanceof AwsServiceException s && s.statusCode() >= 400 && s.statusCode() < 500;
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
