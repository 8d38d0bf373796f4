package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.surge.core.ResourceNames;
import dev.surge.core.observe.EventLog.Sequenced;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One stream, pumped into memory: what it writes, and when it ends. */
class EventStreamTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<Sequenced> RUN_END =
      List.of(new Sequenced(1, Events.items(62, 1100)), new Sequenced(2, Events.finished(63)));

  private static String pump(EventStream stream) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    stream.pump(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eventsQueuedBeforeTheCloseAreWrittenBeforeTheStreamEnds() throws Exception {
    EventStream stream = new EventStream(MAPPER, Duration.ofSeconds(15), Optional.empty());
    RUN_END.forEach(stream::offer);
    stream.close();
    String written = pump(stream);
    assertThat(written)
        .startsWith("retry: 1000\n\n")
        .contains("id: 1\nevent: items\n", "id: 2\nevent: summary\n")
        .doesNotContain("event: snapshot");
  }

  @Test
  void eventsQueuedAfterTheCloseAreNot() throws Exception {
    EventStream stream = new EventStream(MAPPER, Duration.ofSeconds(15), Optional.empty());
    stream.offer(RUN_END.get(0));
    stream.close();
    stream.offer(RUN_END.get(1));
    assertThat(pump(stream)).contains("id: 1\n").doesNotContain("id: 2\n");
  }

  @Test
  void askedForSnapshotsABurstEndsWithTheStateFoldedSoFar() throws Exception {
    SnapshotBuilder builder = new SnapshotBuilder("local", ResourceNames.seed());
    RUN_END.forEach(builder);
    EventStream stream = new EventStream(MAPPER, Duration.ofSeconds(15), Optional.of(builder));
    RUN_END.forEach(stream::offer);
    stream.close();
    String written = pump(stream);
    String last = written.substring(written.lastIndexOf("event: snapshot\n"));
    assertThat(written.indexOf("event: snapshot")).isGreaterThan(written.indexOf("id: 2\n"));
    assertThat(last).startsWith("event: snapshot\ndata: {").endsWith("}\n\n");
    String data = last.substring("event: snapshot\ndata: ".length()).trim();
    assertThat(data).isEqualTo(MAPPER.writeValueAsString(SnapshotJson.of(builder.snapshot())));
  }
}
