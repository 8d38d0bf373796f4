package dev.surge.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up marks: once each, measured from this process's start. */
class StartupMarksTest {
  @Test
  void nothingIsMarkedBeforeItHappens() {
    StartupMarks m = new StartupMarks();
    assertThat(m.firstReceive()).isEmpty();
    assertThat(m.firstWrite()).isEmpty();
  }

  @Test
  void theFirstReceiveIsKeptAndLaterOnesIgnored() throws Exception {
    StartupMarks m = new StartupMarks();
    m.onFirstReceive();
    StartupMarks.Mark first = m.firstReceive().orElseThrow();
    Thread.sleep(30);
    m.onFirstReceive();
    assertThat(m.firstReceive()).contains(first);
    assertThat(m.firstWrite()).isEmpty();
  }

  @Test
  void marksCountFromTheProcessStartWithTheCpuSpentSoFar() throws Exception {
    StartupMarks m = new StartupMarks();
    m.onFirstWrite();
    StartupMarks.Mark w = m.firstWrite().orElseThrow();
    // This JVM started before the test ran and has spent CPU loading it.
    assertThat(w.sinceStartMillis()).isPositive();
    assertThat(w.cpuMillis()).isPositive();
  }
}
