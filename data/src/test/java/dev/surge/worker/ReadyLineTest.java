package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The ready line's JSON, written without Jackson, reads back as what was written. */
class ReadyLineTest {
  @Test
  void stringsAreEscapedAsJsonRequires() throws Exception {
    String nasty = "task \"1\" \\ back\nnew\tline \u0001 é";
    String json = WorkerRunner.jsonString(nasty);
    assertThat(new ObjectMapper().readTree(json).asText()).isEqualTo(nasty);
    assertThat(WorkerRunner.jsonString("task-0001")).isEqualTo("\"task-0001\"");
  }
}
