package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.surge.core.Env;
import dev.surge.core.item.TaskIdentity;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskIdentitiesTest {
  @Test
  void explicitVariablesWin() {
    TaskIdentity id =
        TaskIdentities.resolve(new Env(Map.of("SURGE_TASK_ID", "t-1", "SURGE_HOST", "h-1")));
    assertThat(id).isEqualTo(new TaskIdentity("t-1", "h-1"));
  }

  @Test
  void inEcsTheTaskIdComesFromTheTaskMetadataEndpoint() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v4/abc/task",
        exchange -> {
          byte[] body =
              ("{\"Cluster\":\"c\",\"TaskARN\":\"arn:aws:ecs:us-east-1:123456789012:task/"
                      + "FastTrack-Saa-Sqs-demo/0f9d1b2c3d4e5f60718293a4b5c6d7e8\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc";
      TaskIdentity id =
          TaskIdentities.resolve(
              new Env(Map.of("ECS_CONTAINER_METADATA_URI_V4", uri, "SURGE_HOST", "ip-10-0-0-9")));
      assertThat(id.taskId()).isEqualTo("0f9d1b2c3d4e5f60718293a4b5c6d7e8");
      assertThat(id.host()).isEqualTo("ip-10-0-0-9");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutMetadataTheHostNameIsTheTaskId() {
    TaskIdentity id = TaskIdentities.resolve(new Env(Map.of("SURGE_HOST", "box")));
    assertThat(id.taskId()).isEqualTo("box");
  }
}
