package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The ready and summary lines' JSON, written without Jackson, reads back as what was written. */
class JsonLineTest {
  @Test
  void stringsAreEscapedAsJsonRequires() throws Exception {
    String nasty = "task \"1\" \\ back\nnew\tline \u0001 é";
    String json = JsonLine.quote(nasty);
    assertThat(new ObjectMapper().readTree(json).asText()).isEqualTo(nasty);
    assertThat(JsonLine.quote("task-0001")).isEqualTo("\"task-0001\"");
  }

  @Test
  void anObjectOfStringsNumbersAndObjectsReadsBack() throws Exception {
    String line =
        new JsonLine()
            .put("taskId", "t\"1")
            .put("written", 250L)
            .put("rate", 12.5)
            .put("startup", new JsonLine().put("firstWriteMs", 900L))
            .put("empty", new JsonLine())
            .toString();
    var n = new ObjectMapper().readTree(line);
    assertThat(n.get("taskId").asText()).isEqualTo("t\"1");
    assertThat(n.get("written").asLong()).isEqualTo(250);
    assertThat(n.get("rate").asDouble()).isEqualTo(12.5);
    assertThat(n.path("startup").get("firstWriteMs").asLong()).isEqualTo(900);
    assertThat(n.get("empty").isObject()).isTrue();
    assertThat(n.get("empty").size()).isZero();
  }
}
