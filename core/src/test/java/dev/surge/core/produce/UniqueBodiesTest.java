package dev.surge.core.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UniqueBodiesTest {
  @Test
  void aMillionBodiesAreDistinctNineDigitSeedNumbers() {
    UniqueBodies bodies = new UniqueBodies(new SplittableRandom(7));
    BitSet seen = new BitSet((int) UniqueBodies.SIZE);
    for (long i = 0; i < 1_000_000; i++) {
      String body = bodies.body(i);
      long value = Long.parseLong(body);
      assertThat(body).hasSize(9);
      assertThat(value).isBetween(UniqueBodies.MIN, UniqueBodies.MAX);
      int offset = (int) (value - UniqueBodies.MIN);
      assertThat(seen.get(offset)).as("body %s repeated at index %d", body, i).isFalse();
      seen.set(offset);
    }
  }

  @Test
  void bodiesLookRandomNotSequential() {
    UniqueBodies bodies = new UniqueBodies(new SplittableRandom(7));
    long increasing = 0;
    long prev = Long.parseLong(bodies.body(0));
    for (long i = 1; i < 10_000; i++) {
      long v = Long.parseLong(bodies.body(i));
      if (v > prev) {
        increasing++;
      }
      prev = v;
    }
    // A random sequence rises about half the time; a counter or a fixed stride would not.
    assertThat(increasing).isBetween(4_500L, 5_500L);
  }

  @Test
  void differentRunsDrawDifferentBodies() {
    UniqueBodies a = new UniqueBodies(new SplittableRandom(1));
    UniqueBodies b = new UniqueBodies(new SplittableRandom(2));
    int same = 0;
    for (long i = 0; i < 1000; i++) {
      if (a.body(i).equals(b.body(i))) {
        same++;
      }
    }
    assertThat(same).isLessThan(5);
  }

  @Test
  void indexOutsideTheRangeIsRejected() {
    UniqueBodies bodies = new UniqueBodies(new SplittableRandom(1));
    assertThatThrownBy(() -> bodies.body(UniqueBodies.SIZE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(bodies.body(UniqueBodies.SIZE - 1)).hasSize(9);
  }
}
