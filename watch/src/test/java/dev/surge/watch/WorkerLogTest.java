package dev.surge.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading a stopped worker's written count back from its summary line. */
class WorkerLogTest {
  @Test
  void theWorkersSummaryLineGivesItsWrittenCount() {
    assertThat(
            WorkerLog.written(
                "SURGE_WORKER_SUMMARY {\"taskId\":\"t1\",\"outcome\":\"IDLE\",\"written\":275}"))
        .hasValue(275);
    assertThat(WorkerLog.written("SURGE_WORKER_SUMMARY {\"written\":\"many\"}")).isEmpty();
    assertThat(WorkerLog.written("SURGE_WORKER_SUMMARY {broken")).isEmpty();
    assertThat(WorkerLog.written("an ordinary line")).isEmpty();
  }
}
