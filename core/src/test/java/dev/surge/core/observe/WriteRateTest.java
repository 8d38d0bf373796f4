package dev.surge.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteRateTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void noItemsIsNoPoints() {
    WriteRate r = new WriteRate.Builder().build();
    assertThat(r.points()).isEmpty();
    assertThat(r.peak()).isZero();
  }

  @Test
  void aSteadyRunReadsAsItsRateOverTwoSecondWindows() {
    WriteRate.Builder b = new WriteRate.Builder();
    for (int i = 0; i < 1000; i++) {
      b.add(T0.plusMillis(i * 10L)); // 100 per second for 10 s
    }
    WriteRate r = b.build();
    assertThat(r.windowMillis()).isEqualTo(2000);
    assertThat(r.from()).isEqualTo(T0);
    // 201 items in a closed 2 s window
    assertThat(r.peak()).isEqualTo(100.5);
    // the line rises from the first item and falls to nothing a window after the last
    assertThat(r.points().get(0).perSecond()).isEqualTo(0.5);
    WriteRate.Point end = r.points().get(r.points().size() - 1);
    assertThat(end.afterMillis()).isEqualTo(9990 + 2000);
    assertThat(end.perSecond()).isEqualTo(0.5);
  }

  @Test
  void aBurstShorterThanTheWindowPeaksAtItsMeanRate() {
    // What the summary reports: items over first-to-last; the chart's peak must not differ.
    WriteRate.Builder b = new WriteRate.Builder();
    Random random = new Random(7);
    for (int i = 0; i < 1099; i++) {
      b.add(T0.plusMillis(random.nextInt(1500)));
    }
    b.add(T0).add(T0.plusMillis(1500));
    WriteRate r = b.build();
    assertThat(r.windowMillis()).isEqualTo(1500);
    assertThat(r.peak()).isEqualTo(Math.round(1101 * 1000.0 / 1500 * 10) / 10.0);
    assertThat(r.points()).anySatisfy(p -> assertThat(p.afterMillis()).isEqualTo(1500));
  }

  @Test
  void theOrderItemsAreReadInDoesNotMatter() {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      times.add(T0.plusMillis(i * i % 7919));
    }
    WriteRate.Builder inOrder = new WriteRate.Builder();
    times.stream().sorted().forEach(inOrder::add);
    Collections.shuffle(times, new Random(3));
    WriteRate.Builder shuffled = new WriteRate.Builder();
    times.forEach(shuffled::add);
    assertThat(shuffled.build()).isEqualTo(inOrder.build());
  }

  @Test
  void aLongRunHasABoundedNumberOfPoints() {
    WriteRate.Builder b = new WriteRate.Builder();
    for (int s = 0; s < 3600; s++) {
      b.add(T0.plusSeconds(s), 10);
    }
    WriteRate r = b.build();
    assertThat(r.points().size()).isLessThanOrEqualTo(WriteRate.MAX_POINTS + 2);
    assertThat(r.peak()).isEqualTo(15.0); // 3 whole seconds' items in a closed 2 s window
  }

  @Test
  void itemsWithinOneMillisecondAreNotARatePerMillisecond() {
    WriteRate r = new WriteRate.Builder().add(T0, 10).build();
    assertThat(r.windowMillis()).isEqualTo(100);
    assertThat(r.peak()).isEqualTo(100.0);
  }
}
