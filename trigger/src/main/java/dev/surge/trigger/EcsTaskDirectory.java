package dev.surge.trigger;

import dev.surge.core.port.TaskDirectory;
import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The worker tasks of one cluster that carry the trigger's {@code startedBy} tag, as ECS lists and
 * describes them: the count the trigger scales against, and the views {@code surge status} and the
 * AWS watcher show. SDK errors pass through: without the listing there is nothing to report.
 *
 * <p>ECS documents {@code startedBy} as a filter that "must be the only filter" of {@code
 * ListTasks}, and {@code desiredStatus} as {@code RUNNING} by default. So the live tasks are one
 * listing by {@code startedBy} alone, and the stopped ones (kept about an hour) are listed by
 * {@code desiredStatus STOPPED} alone and kept when {@code DescribeTasks} shows our tag.
 */
public final class EcsTaskDirectory implements TaskDirectory {
  /** DescribeTasks describes at most 100 tasks per call. */
  public static final int MAX_DESCRIBE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(EcsTaskDirectory.class);

  private final EcsClient ecs;
  private final EcsSettings settings;

  /** Lists the tasks of {@code settings.cluster()} tagged {@code settings.startedBy()}. */
  public EcsTaskDirectory(EcsClient ecs, EcsSettings settings) {
    this.ecs = Objects.requireNonNull(ecs, "ecs");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Tasks with our tag whose desired status is RUNNING: still provisioning or pending count, since
   * they are fleet on its way. One {@code ListTasks} (paged), {@code startedBy} its only filter.
   */
  public int running() {
    return runningArns().size();
  }

  /** The ARNs {@link #running()} counts. */
  public List<String> runningArns() {
    return list(b -> b.startedBy(settings.startedBy()));
  }

  @Override
  public List<TaskView> tasks() {
    Set<String> arns = new LinkedHashSet<>(list(b -> b.startedBy(settings.startedBy())));
    arns.addAll(list(b -> b.desiredStatus(DesiredStatus.STOPPED)));
    List<String> all = new ArrayList<>(arns);
    List<TaskView> views = new ArrayList<>();
    for (int i = 0; i < all.size(); i += MAX_DESCRIBE) {
      List<String> chunk = all.subList(i, Math.min(all.size(), i + MAX_DESCRIBE));
      var response = ecs.describeTasks(b -> b.cluster(settings.cluster()).tasks(chunk));
      for (Task t : response.tasks()) {
        // The stopped listing holds every stopped task of the cluster; ours carry our tag.
        if (settings.startedBy().equals(t.startedBy())) {
          views.add(view(t));
        }
      }
      response
          .failures()
          .forEach(f -> LOG.debug("DescribeTasks skipped {}: {}", f.arn(), f.reason()));
    }
    views.sort(Comparator.comparing(TaskView::startedAt).thenComparing(TaskView::taskId));
    return views;
  }

  private List<String> list(java.util.function.Consumer<ListTasksRequest.Builder> filter) {
    ListTasksRequest.Builder request = ListTasksRequest.builder().cluster(settings.cluster());
    filter.accept(request);
    List<String> arns = new ArrayList<>();
    ecs.listTasksPaginator(request.build()).forEach(page -> arns.addAll(page.taskArns()));
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
    TaskState state = state(t.lastStatus());
    return new TaskView(
        id,
        host(t).orElse(id),
        state,
        created,
        Optional.ofNullable(t.stoppedAt()),
        // ECS reports a container's exit code once it stopped; before that it means nothing.
        state == TaskState.STOPPED ? worker.map(Container::exitCode) : Optional.empty(),
        Optional.ofNullable(t.stoppedReason()).filter(r -> !r.isBlank()));
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
