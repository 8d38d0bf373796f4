package dev.surge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryTest {
  @Test
  void readsAfterAmongOtherParameters() {
    assertThat(Query.after("x=1&after=42&y")).hasValue(42);
    assertThat(Query.after("after=0")).hasValue(0);
  }

  @Test
  void absentWhenNotGiven() {
    assertThat(Query.after(null)).isEmpty();
    assertThat(Query.after("")).isEmpty();
    assertThat(Query.after("afterwards=3")).isEmpty();
  }

  @Test
  void rejectsWhatIsNotASequenceNumber() {
    assertThatThrownBy(() -> Query.after("after=-1")).hasMessageContaining("after must be");
    assertThatThrownBy(() -> Query.after("after=abc")).hasMessageContaining("'abc'");
    assertThatThrownBy(() -> Query.after("after")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.sequence("Last-Event-ID", "1.5"))
        .hasMessageStartingWith("Last-Event-ID must be");
  }

  @Test
  void snapshotsAreAskedForWithOne() {
    assertThat(Query.snapshots("after=3&snapshots=1")).isTrue();
    assertThat(Query.snapshots("snapshots=0&after=3")).isFalse();
    assertThat(Query.snapshots("after=3")).isFalse();
    assertThat(Query.snapshots(null)).isFalse();
    assertThatThrownBy(() -> Query.snapshots("snapshots=yes"))
        .hasMessage("snapshots must be 1 or 0, was 'yes'");
    assertThatThrownBy(() -> Query.snapshots("snapshots"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
