package dev.surge.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.aws.PlainHttp;
import dev.surge.core.Env;
import dev.surge.core.item.TaskIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works out who this worker is: {@code SURGE_TASK_ID} / {@code SURGE_HOST} when set (the local
 * launcher sets both); in ECS the task id from the task metadata endpoint v4 and the container's
 * host name (what the seed wrote into {@code host}); otherwise the host name.
 */
public final class TaskIdentities {
  private static final Logger log = LoggerFactory.getLogger(TaskIdentities.class);

  /** Environment variable: the task id. */
  public static final String TASK_ID = "SURGE_TASK_ID";

  /** Environment variable: the host name to write into items. */
  public static final String HOST = "SURGE_HOST";

  /** Set by ECS in every container (task metadata endpoint version 4). */
  public static final String ECS_METADATA = "ECS_CONTAINER_METADATA_URI_V4";

  private TaskIdentities() {}

  /** Resolves the identity from {@code env}. */
  public static TaskIdentity resolve(Env env) {
    String host = env.get(HOST).orElseGet(TaskIdentities::hostName);
    String taskId =
        env.get(TASK_ID)
            .or(() -> env.get(ECS_METADATA).flatMap(TaskIdentities::ecsTaskId))
            .orElse(host);
    return new TaskIdentity(taskId, host);
  }

  /** The task id from {@code <metadata uri>/task}: the last segment of its {@code TaskARN}. */
  static Optional<String> ecsTaskId(String metadataUri) {
    try {
      PlainHttp.Response r =
          PlainHttp.get(URI.create(metadataUri + "/task"), Duration.ofSeconds(2));
      if (r.statusCode() != 200) {
        log.warn("task metadata answered {}; using the host name as task id", r.statusCode());
        return Optional.empty();
      }
      JsonNode arn = new ObjectMapper().readTree(r.text()).path("TaskARN");
      if (!arn.isTextual()) {
        return Optional.empty();
      }
      String a = arn.asText();
      return Optional.of(a.substring(a.lastIndexOf('/') + 1));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("task metadata unavailable ({}); using the host name as task id", e.toString());
      return Optional.empty();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String h = System.getenv("HOSTNAME");
      return h == null || h.isBlank() ? "unknown-host" : h;
    }
  }
}
