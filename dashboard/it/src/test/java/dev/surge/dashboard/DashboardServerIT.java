package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.alarm.AlarmState;
import dev.surge.core.observe.EventLog;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.port.TaskState;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server over real HTTP on 127.0.0.1, read with the JDK's client. */
class DashboardServerIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private EventLog log;
  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    log = new EventLog(1000);
    server = serve(DashboardOptions.defaults().withPort(0).withHeartbeat(Duration.ofMillis(200)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    server.close();
  }

  private DashboardServer serve(DashboardOptions options) throws Exception {
    return new DashboardServer(log, options).start();
  }

  private URI uri(String path) {
    return server.uri().resolve(path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private SseClient stream(String path, Map<String, String> headers) throws Exception {
    SseClient sse = SseClient.open(http, uri(path), headers);
    closeables.add(sse);
    return sse;
  }

  private void publish(PipelineEvent... events) {
    for (PipelineEvent e : events) {
      log.publish(e);
    }
  }

  private static List<PipelineEvent> fiveEvents() {
    return List.of(
        Events.queue(1, 1100, 0),
        Events.alarm(2, AlarmState.OK, AlarmState.ALARM),
        Events.task(3, "a", TaskState.RUNNING, 0),
        Events.items(4, 1100),
        Events.finished(5));
  }

  @Test
  void streamDeliversEachEventInOrderWithIncreasingIdsWithinASecond() throws Exception {
    SseClient sse = stream("/events", Map.of());
    assertThat(sse.response().statusCode()).isEqualTo(200);
    assertThat(sse.response().headers().firstValue("Content-Type"))
        .hasValue("text/event-stream; charset=utf-8");
    List<PipelineEvent> events = fiveEvents();
    long previousId = 0;
    for (PipelineEvent event : events) {
      long sent = System.nanoTime();
      log.publish(event);
      SseClient.Frame frame = sse.nextEvent(WAIT);
      Duration latency = Duration.ofNanos(System.nanoTime() - sent);
      assertThat(latency).isLessThan(Duration.ofSeconds(1));
      long id = Long.parseLong(frame.id());
      assertThat(id).isGreaterThan(previousId);
      previousId = id;
      assertThat(frame.event()).isEqualTo(event.type());
      JsonNode data = MAPPER.readTree(frame.data());
      assertThat(data.get("sequence").asLong()).isEqualTo(id);
      assertThat(data.get("type").asText()).isEqualTo(event.type());
      assertThat(data.get("at").asText()).isEqualTo(event.at().toString());
    }
    assertThat(previousId).isEqualTo(5);
  }

  @Test
  void streamFromTheStartReplaysWhatCameBefore() throws Exception {
    fiveEvents().forEach(log::publish);
    SseClient sse = stream("/events", Map.of());
    List<String> types = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      SseClient.Frame f = sse.nextEvent(WAIT);
      assertThat(f.id()).isEqualTo(String.valueOf(i));
      types.add(f.event());
    }
    assertThat(types).containsExactly("queue", "alarm", "task", "items", "summary");
  }

  @Test
  void reconnectWithLastEventIdReplaysOnlyWhatWasMissed() throws Exception {
    fiveEvents().forEach(log::publish);
    SseClient sse = stream("/events", Map.of("Last-Event-ID", "3"));
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("4");
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("5");
    assertThat(sse.noEventFor(Duration.ofMillis(500))).isTrue();
    publish(Events.items(6, 1100));
    SseClient.Frame live = sse.nextEvent(WAIT);
    assertThat(live.id()).isEqualTo("6");
    assertThat(live.event()).isEqualTo("items");
  }

  @Test
  void afterQueryResumesAndLastEventIdWinsOverIt() throws Exception {
    fiveEvents().forEach(log::publish);
    SseClient byQuery = stream("/events?after=2", Map.of());
    assertThat(byQuery.nextEvent(WAIT).id()).isEqualTo("3");
    // EventSource keeps the URL and adds Last-Event-ID when it reconnects: the header is newer.
    SseClient both = stream("/events?after=1", Map.of("Last-Event-ID", "4"));
    assertThat(both.nextEvent(WAIT).id()).isEqualTo("5");
  }

  @Test
  void anIdFromAnotherRunGetsAResetAndTheWholeLog() throws Exception {
    publish(Events.items(1, 1), Events.items(2, 2));
    SseClient sse = stream("/events", Map.of("Last-Event-ID", "999"));
    SseClient.Frame reset = sse.nextEvent(WAIT);
    assertThat(reset.event()).isEqualTo("reset");
    assertThat(MAPPER.readTree(reset.data()).get("lastSequence").asLong()).isEqualTo(2);
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("1");
  }

  @Test
  void askedForSnapshotsTheStreamFollowsEachBurstWithTheFoldedState() throws Exception {
    publish(Events.queue(1, 700, 40), Events.alarm(2, AlarmState.OK, AlarmState.ALARM));
    SseClient sse = stream("/events?after=0&snapshots=1", Map.of());
    // The kept events are one burst, then the state folded from them.
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("1");
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("2");
    SseClient.Frame first = sse.nextEvent(WAIT);
    assertThat(first.event()).isEqualTo("snapshot");
    assertThat(first.id()).as("no id: Last-Event-ID stays the last event's").isNull();
    JsonNode folded = MAPPER.readTree(first.data());
    assertThat(folded.get("lastSequence").asLong()).isEqualTo(2);
    assertThat(folded).isEqualTo(MAPPER.readTree(get("/api/snapshot").body()));
    publish(Events.items(3, 360));
    assertThat(sse.nextEvent(WAIT).id()).isEqualTo("3");
    SseClient.Frame next = sse.nextEvent(WAIT);
    assertThat(next.event()).isEqualTo("snapshot");
    assertThat(MAPPER.readTree(next.data()).get("lastSequence").asLong()).isEqualTo(3);
    assertThat(MAPPER.readTree(next.data()).get("items").asLong()).isEqualTo(360);
    assertThat(sse.noEventFor(Duration.ofMillis(500))).isTrue();
  }

  @Test
  void badResumePointsAndFlagsAreRefused() throws Exception {
    assertThat(get("/events?after=soon").statusCode()).isEqualTo(400);
    assertThat(get("/events?snapshots=yes").statusCode()).isEqualTo(400);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/events")).header("Last-Event-ID", "-3").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Last-Event-ID must be a sequence number");
  }

  @Test
  void idleStreamGetsHeartbeats() throws Exception {
    SseClient sse = stream("/events", Map.of());
    SseClient.Frame f = sse.nextFrame(WAIT);
    assertThat(f.event()).isEqualTo(":");
    assertThat(f.data()).isEqualTo("keep-alive");
  }

  @Test
  void snapshotReturnsTheFoldedStateAsJson() throws Exception {
    publish(
        Events.alarm(1, AlarmState.INSUFFICIENT_DATA, AlarmState.OK),
        Events.produced(2, 1100),
        Events.queue(3, 700, 40),
        Events.alarm(4, AlarmState.OK, AlarmState.ALARM),
        Events.delivered(4),
        Events.launched(4),
        Events.task(5, "a", TaskState.RUNNING, 0),
        Events.task(5, "b", TaskState.PROVISIONING, 0),
        Events.items(6, 360));
    HttpResponse<String> r = get("/api/snapshot");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode j = MAPPER.readTree(r.body());
    assertThat(j.get("lastSequence").asLong()).isEqualTo(9);
    assertThat(j.get("queue").get("visible").asLong()).isEqualTo(700);
    assertThat(j.get("queue").get("inFlight").asLong()).isEqualTo(40);
    assertThat(j.get("items").asLong()).isEqualTo(360);
    assertThat(j.get("produced").asLong()).isEqualTo(1100);
    assertThat(j.get("alarm").get("state").asText()).isEqualTo("ALARM");
    assertThat(j.get("alarm").get("threshold").asDouble()).isEqualTo(100.0);
    assertThat(j.get("notifications").get("delivered").asLong()).isEqualTo(1);
    assertThat(j.get("lastTrigger").get("started").asInt()).isEqualTo(4);
    assertThat(j.get("tasks")).hasSize(2);
    assertThat(j.get("tasksByState").get("RUNNING").asInt()).isEqualTo(1);
    assertThat(j.get("tasksByState").get("PROVISIONING").asInt()).isEqualTo(1);
    assertThat(j.get("summary").isNull()).isTrue();
    assertThat(server.snapshot().lastSequence()).isEqualTo(9);
  }

  @Test
  void apiEventsListsTheKeptEventsAfterN() throws Exception {
    fiveEvents().forEach(log::publish);
    JsonNode all = MAPPER.readTree(get("/api/events").body());
    assertThat(all).hasSize(5);
    JsonNode later = MAPPER.readTree(get("/api/events?after=3").body());
    assertThat(later).hasSize(2);
    assertThat(later.get(0).get("sequence").asLong()).isEqualTo(4);
    assertThat(later.get(0).get("type").asText()).isEqualTo("items");
    assertThat(later.get(1).get("summary").get("produced").asLong()).isEqualTo(1100);
    assertThat(get("/api/events?after=x").statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @CsvSource({
    "POST, /",
    "PUT, /api/snapshot",
    "DELETE, /api/events",
    "POST, /events",
    "PATCH, /app.js",
    "HEAD, /"
  })
  void anythingButGetIs405(String method, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/nope", "/api/nope", "/api", "/events/more", "/vendor/uplot/x.js", "/../pom.xml"})
  void unknownPathsAre404(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri().toString().replaceAll("/$", "") + path))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @CsvSource({
    "/, text/html; charset=utf-8, data-testid=\"items-count\"",
    "/index.html, text/html; charset=utf-8, data-testid=\"alarm-state\"",
    "/app.js, text/javascript; charset=utf-8, ./stream.js",
    "/stream.js, text/javascript; charset=utf-8, new EventSource",
    "/app.css, text/css; charset=utf-8, .state-pill",
    "/vendor/uplot/uPlot.iife.min.js, text/javascript; charset=utf-8, (v1.6.32)",
    "/vendor/uplot/uPlot.min.css, text/css; charset=utf-8, .uplot",
    "/vendor/uplot/LICENSE, text/plain; charset=utf-8, MIT License"
  })
  void assetsAreServedFromTheJarWithTheirContentTypes(String path, String type, String contains)
      throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(type);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.body()).contains(contains);
  }

  @Test
  void pageLoadsNothingFromElsewhere() throws Exception {
    String page = get("/").body();
    assertThat(page).doesNotContain("src=\"http", "href=\"http", "src=\"//", "href=\"//");
    assertThat(get("/").headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(p -> assertThat(p).startsWith("default-src 'self'"));
  }

  @Test
  void bindsToLoopbackByDefault() throws Exception {
    assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isPositive();
  }

  @Test
  void refusesRequestsAddressedToAnotherName() throws Exception {
    // A DNS-rebinding page sends its own name; java.net.http forbids setting Host, so go raw.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.getOutputStream()
          .write(
              "GET /api/snapshot HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
    }
    assertThat(get("/api/snapshot").statusCode()).isEqualTo(200);
  }

  @Test
  void aTakenPortIsReportedWithWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        DashboardServer second =
            new DashboardServer(log, DashboardOptions.defaults().withPort(taken.getLocalPort()))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("choose another port");
    }
  }

  @Test
  void closingTheServerEndsOpenStreams() throws Exception {
    SseClient a = stream("/events", Map.of());
    SseClient b = stream("/events", Map.of());
    publish(Events.items(1, 1));
    a.nextEvent(WAIT);
    b.nextEvent(WAIT);
    long start = System.nanoTime();
    server.close();
    assertThat(a.awaitEnd(WAIT)).isTrue();
    assertThat(b.awaitEnd(WAIT)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(server.openStreams()).isZero();
  }

  @Test
  void aBrowserThatGoesAwayIsCleanedUp() throws Exception {
    SseClient sse = stream("/events", Map.of());
    publish(Events.items(1, 1));
    sse.nextEvent(WAIT);
    assertThat(server.openStreams()).isEqualTo(1);
    sse.close();
    // The next heartbeat (200 ms here) fails to write and ends the stream.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.openStreams() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(server.openStreams()).isZero();
  }

  @Test
  void streamsBeyondTheCapAreRefused() throws Exception {
    server.close();
    server = serve(DashboardOptions.defaults().withPort(0).withMaxStreams(1));
    SseClient first = stream("/events", Map.of());
    publish(Events.items(1, 1));
    first.nextEvent(WAIT);
    HttpResponse<String> second = get("/events");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.body()).contains("too many open event streams");
  }
}
