package dev.surge.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.core.port.TaskState;
import dev.surge.core.port.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chaos run's verdict and its largest-fleet count, without a run. */
class ChaosReportTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

  private static TaskView task(String id, long from, Long to) {
    return new TaskView(
        id,
        id,
        to == null ? TaskState.RUNNING : TaskState.STOPPED,
        T.plusMillis(from),
        Optional.ofNullable(to).map(T::plusMillis),
        Optional.ofNullable(to).map(x -> 0),
        Optional.empty());
  }

  private static List<FaultSchedule.Injected> allFaults() {
    List<FaultSchedule.Injected> f = new ArrayList<>();
    for (FaultSchedule.Fault fault : FaultSchedule.FAULTS) {
      f.add(new FaultSchedule.Injected(fault.name(), 1, fault.at(), 1, 3, "hit 3"));
    }
    return f;
  }

  private static ChaosReport report(
      long inTable, long dead, long poisonDead, int maxFleet, List<FaultSchedule.Injected> f) {
    return new ChaosReport(
        1000, 10, inTable, dead, poisonDead, 5, maxFleet, 4, List.of(), f, true, 12.5);
  }

  @Test
  void passesOnlyWhenEveryMessageIsAccountedForAndTheFleetStayedBounded() {
    assertThat(report(990, 10, 10, 4, allFaults()).problems()).isEmpty();
    assertThat(report(989, 10, 10, 4, allFaults()).problems())
        .containsExactly("1 message(s) neither in the table nor in the dead-letter queue");
    // A good message in the dead-letter queue is not lost, but it is wrong.
    assertThat(report(989, 11, 10, 4, allFaults()).problems())
        .singleElement()
        .asString()
        .contains("holds 11 message(s), 10 of them poison; 10 poison were sent");
    assertThat(report(990, 10, 10, 5, allFaults()).problems())
        .containsExactly("the fleet reached 5 tasks, above the cap of 4");
  }

  @Test
  void aFaultNotInjectedOrThatHitNothingFailsTheRun() {
    List<FaultSchedule.Injected> three = allFaults().subList(0, 3);
    assertThat(report(990, 10, 10, 4, three).problems())
        .containsExactly(
            "not injected (the run ended first): dynamodb-paused-5s, batchwrite-throttled-10s");
    List<FaultSchedule.Injected> idle = new ArrayList<>(allFaults());
    idle.set(2, new FaultSchedule.Injected("sqs-unreachable-5s", 1, 0.4, 5, 0, "0 refused"));
    assertThat(report(990, 10, 10, 4, idle).problems())
        .containsExactly("sqs-unreachable-5s hit nothing: 0 refused");
  }

  @Test
  void theLargestFleetCountsTasksAliveAtOneInstant() {
    assertThat(FleetSampler.maxOverlap(List.of())).isZero();
    assertThat(
            FleetSampler.maxOverlap(
                List.of(task("a", 0, 100L), task("b", 50, 150L), task("c", 120, null))))
        .isEqualTo(2);
    // One stopping as the next starts, at the same millisecond, is a replacement: one at a time.
    assertThat(FleetSampler.maxOverlap(List.of(task("a", 0, 100L), task("b", 100, 200L))))
        .isEqualTo(1);
    assertThat(
            FleetSampler.maxOverlap(
                List.of(task("a", 0, null), task("b", 10, null), task("c", 20, null))))
        .isEqualTo(3);
  }

  @Test
  void theJsonCarriesTheFiguresScriptsRead() throws Exception {
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report(990, 10, 10, 4, allFaults()).toJson());
    for (String key :
        List.of(
            "produced",
            "inTable",
            "deadLetters",
            "poison",
            "lost",
            "maxFleet",
            "maxTasks",
            "redelivered",
            "faults",
            "drainSeconds")) {
      assertThat(json.has(key)).as(key).isTrue();
    }
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("faults")).hasSize(FaultSchedule.FAULTS.size());
    assertThat(json.get("passed").asBoolean()).isTrue();
  }
}
