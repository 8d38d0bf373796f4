package dev.surge.core.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A run's items per second over time, from the items' own {@code processedAt} times rather than
 * from samples of the table's count: each point holds the items written in the {@code window} up to
 * it, divided by the window. The window is half the run's span (first to last item), at least
 * {@link #WINDOW} and at most {@link #MAX_WINDOW}; a run that wrote for less than {@link #WINDOW}
 * gets its whole span, so that a short burst's one point is its mean rate. Half the span keeps a
 * short burst's line from peaking on a second or two that a busy machine happened to favour (a 2 s
 * window over a 7 s drain on 2 shared cores swung 105-180 items/s around a mean of 151), so its
 * peak reads as the burst's rate; a long run keeps a line with its ups and downs. Points run from
 * the first item to a window past the last, so the line rises and falls with the run.
 *
 * @param from the first item's time (the first point's)
 * @param windowMillis the span each point's rate is counted over
 * @param points the series, in time order
 */
public record WriteRate(Instant from, long windowMillis, List<Point> points) {
  /** The narrowest window of a run longer than it: a couple of seconds, not a noisy instant. */
  public static final Duration WINDOW = Duration.ofSeconds(2);

  /** The widest window, so that a long run's line still shows how its rate changed. */
  public static final Duration MAX_WINDOW = Duration.ofSeconds(10);

  /** At most this many points, whatever the run's length. */
  static final int MAX_POINTS = 400;

  private static final long MIN_STEP_MILLIS = 100;

  /** The narrowest window, so that items written within a millisecond are not a rate per ms. */
  private static final long MIN_WINDOW_MILLIS = 100;

  /** No items: no points. */
  public static final WriteRate NONE = new WriteRate(Instant.EPOCH, 1, List.of());

  /**
   * One point.
   *
   * @param afterMillis its time, in milliseconds after {@code from}
   * @param perSecond items per second over the window up to it, rounded to 0.1
   */
  public record Point(long afterMillis, double perSecond) {}

  /** Copies the list. */
  public WriteRate {
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("window must be > 0, was " + windowMillis);
    }
    points = List.copyOf(points);
  }

  /** The highest rate of the series (0 without points). */
  public double peak() {
    return points.stream().mapToDouble(Point::perSecond).max().orElse(0);
  }

  /** Collects item times (in any order) and makes the series. */
  public static final class Builder {
    // items per millisecond of processedAt: sparse, and as small as the run's span
    private final TreeMap<Long, Long> perMilli = new TreeMap<>();

    /** One item written at {@code at}. */
    public Builder add(Instant at) {
      return add(at, 1);
    }

    /** {@code items} items written at {@code at}. */
    public Builder add(Instant at, long items) {
      if (items < 0) {
        throw new IllegalArgumentException("items must be >= 0, was " + items);
      }
      if (items > 0) {
        perMilli.merge(at.toEpochMilli(), items, Long::sum);
      }
      return this;
    }

    /** The series; {@link #NONE} without items. */
    public WriteRate build() {
      if (perMilli.isEmpty()) {
        return NONE;
      }
      long first = perMilli.firstKey();
      long last = perMilli.lastKey();
      long span = last - first;
      long window =
          span < WINDOW.toMillis()
              ? Math.max(MIN_WINDOW_MILLIS, span)
              : Math.max(WINDOW.toMillis(), Math.min(MAX_WINDOW.toMillis(), span / 2));
      long end = last + window;
      long step = Math.max(MIN_STEP_MILLIS, (end - first + MAX_POINTS - 1) / MAX_POINTS);
      // running totals, so each point is two lookups
      NavigableMap<Long, Long> upTo = new TreeMap<>();
      long total = 0;
      for (Map.Entry<Long, Long> e : perMilli.entrySet()) {
        total += e.getValue();
        upTo.put(e.getKey(), total);
      }
      List<Point> points = new ArrayList<>();
      for (long t = first; ; t += step) {
        long at = Math.min(t, end);
        // items in [at - window, at]
        long through = count(upTo, at);
        long before = count(upTo, at - window - 1);
        double rate = (through - before) * 1000.0 / window;
        points.add(new Point(at - first, Math.round(rate * 10) / 10.0));
        if (at == end) {
          break;
        }
        // the point at the last item's time, where a short burst's window holds all of it
        if (t < last && t + step > last) {
          t = last - step;
        }
      }
      return new WriteRate(Instant.ofEpochMilli(first), window, points);
    }

    private static long count(NavigableMap<Long, Long> upTo, long atOrBefore) {
      Map.Entry<Long, Long> e = upTo.floorEntry(atOrBefore);
      return e == null ? 0 : e.getValue();
    }
  }
}
