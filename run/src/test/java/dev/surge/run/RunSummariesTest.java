package dev.surge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.cost.AwsBill;
import dev.surge.core.observe.PipelineEvent;
import dev.surge.core.observe.WriteRate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummariesTest {
  private static String printed(int tasks, Map<String, Long> perHost) {
    return printed(tasks, perHost, java.util.OptionalLong.empty());
  }

  private static String printed(
      int tasks, Map<String, Long> perHost, java.util.OptionalLong leftInQueue) {
    StringWriter text = new StringWriter();
    PipelineEvent.RunSummary s =
        new PipelineEvent.RunSummary(
            1100,
            1100 - leftInQueue.orElse(0),
            1100 - leftInQueue.orElse(0),
            0,
            leftInQueue.orElse(0),
            0,
            tasks,
            perHost,
            1500,
            4000,
            16_500,
            186.1,
            0.344,
            WriteRate.NONE,
            AwsBill.UNKNOWN);
    try (PrintWriter out = new PrintWriter(text)) {
      RunSummaries.print(out, s, leftInQueue.isPresent());
    }
    return text.toString();
  }

  @Test
  void tasksThatWroteNothingAreCountedBesideTheOthers() {
    // Four launched, two wrote everything before the late two were up.
    String out = printed(4, Map.of("task-0001", 530L, "task-0002", 570L));
    assertThat(out)
        .containsPattern("tasks launched +4")
        .containsPattern("task-0001 +530 items")
        .containsPattern("task-0002 +570 items")
        .containsPattern("2 more tasks +0 items");
    assertThat(printed(2, Map.of("task-0001", 1100L))).containsPattern("1 more task +0 items");
    assertThat(printed(1, Map.of("task-0001", 1100L))).doesNotContain("more task");
  }

  @Test
  void eachFigureSaysWhatItMeasures() {
    assertThat(printed(1, Map.of("task-0001", 1100L)))
        .containsPattern("time to alarm +1.5 s +first send to ALARM")
        .containsPattern("alarm -> first item +4.0 s +ALARM to the first item written")
        .containsPattern("drain time +16.5 s +first send to an empty queue")
        .containsPattern("throughput +186.1 +items/s, first to last item written");
  }

  @Test
  void messagesAPurgeRemovedArePurgedNotLost() {
    PipelineEvent.RunSummary s =
        new PipelineEvent.RunSummary(
            40,
            0,
            0,
            0,
            0,
            40,
            0,
            0,
            Map.of(),
            -1,
            -1,
            2_500,
            Double.NaN,
            -1,
            WriteRate.NONE,
            AwsBill.UNKNOWN);
    assertThat(s.unaccounted()).isZero();
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      RunSummaries.print(out, s);
    }
    assertThat(text.toString())
        .containsPattern("purged +40 +\\(removed from the queue by a purge")
        .containsPattern("unaccounted +0 +\\(every message accounted for\\)")
        .doesNotContain("LOST");
    // A run nothing purged has no such line.
    assertThat(printed(1, Map.of("task-0001", 1100L))).doesNotContain("purged");
  }

  @Test
  void aStoppedRunGivesItsRunTimeNotADrainTime() {
    // the labels of a run stopped with 300 messages still queued (the counts are the fixture's)
    String out = printed(1, Map.of("task-0001", 1100L), java.util.OptionalLong.of(300));
    assertThat(out)
        .containsPattern("left in the queue +300 +\\(not worked through: the run was stopped\\)")
        .containsPattern("run time +16.5 s +first send to the stop \\(the queue was not drained\\)")
        .doesNotContain("drain time");
  }
}
