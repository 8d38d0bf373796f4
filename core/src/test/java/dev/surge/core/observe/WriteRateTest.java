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
  void aSteadyRunReadsAsItsRateOverHalfItsSpan() {
    WriteRate.Builder b = new WriteRate.Builder();
    for (int i = 0; i < 1000; i++) {
      b.add(T0.plusMillis(i * 10L)); // 100 per second for 10 s
    }
    WriteRate r = b.build();
    assertThat(r.windowMillis()).isEqualTo(4995);
    assertThat(r.from()).isEqualTo(T0);
    // 500 items in a closed window of 4.995 s
    assertThat(r.peak()).isEqualTo(100.1);
    // the line rises from the first item and falls to nothing a window after the last
    assertThat(r.points().get(0).perSecond()).isEqualTo(0.2);
    WriteRate.Point end = r.points().get(r.points().size() - 1);
    assertThat(end.afterMillis()).isEqualTo(9990 + 4995);
    assertThat(end.perSecond()).isEqualTo(0.2);
  }

  @Test
  void aShortBurstOnABusyMachinePeaksNearItsMeanRate() {
    // 1100 items over 7 s: 1.4 s at 200/s, then 5.6 s at 146/s, the kind of swing two shared
    // cores give a drain. Over 2 s windows the peak would be 1.17x the mean; over half the span,
    // far less.
    WriteRate.Builder b = new WriteRate.Builder();
    for (int i = 0; i < 280; i++) {
      b.add(T0.plusMillis(i * 5L));
    }
    for (int i = 0; i < 820; i++) {
      b.add(T0.plusMillis(1400 + Math.round(i * 5600.0 / 819)));
    }
    WriteRate r = b.build();
    double mean = 1100 * 1000.0 / 7000;
    assertThat(r.windowMillis()).isEqualTo(3500);
    assertThat(r.peak()).isBetween(mean, mean * 1.1);
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
    assertThat(r.windowMillis()).isEqualTo(10_000);
    assertThat(r.peak()).isEqualTo(11.0); // 11 whole seconds' items in a closed 10 s window
  }

  @Test
  void itemsWithinOneMillisecondAreNotARatePerMillisecond() {
    WriteRate r = new WriteRate.Builder().add(T0, 10).build();
    assertThat(r.windowMillis()).isEqualTo(100);
    assertThat(r.peak()).isEqualTo(100.0);
  }
}
