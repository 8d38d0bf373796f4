package dev.surge.core.produce;

import java.util.random.RandomGenerator;

/**
 * The seed's message bodies (decimal numbers in {@value #MIN}..{@value #MAX}) drawn at random but
 * never twice in one run, in O(1) memory: the {@code i}-th body is a keyed pseudo-random
 * permutation of {@code i} (a 4-round Feistel network on 30 bits, cycle-walked into the range).
 * Distinct indexes give distinct bodies, so "every produced message is in the table" can be checked
 * by count, even for millions of messages, and concurrent senders need no shared set.
 */
public final class UniqueBodies {
  /** Smallest body, as in the seed. */
  public static final long MIN = 100_000_001L;

  /** Largest body, as in the seed. */
  public static final long MAX = 999_999_998L;

  /** How many distinct bodies exist. */
  public static final long SIZE = MAX - MIN + 1;

  private static final int HALF_BITS = 15;
  private static final int HALF_MASK = (1 << HALF_BITS) - 1;
  private static final int ROUNDS = 4;

  private final int[] keys = new int[ROUNDS];

  /** A permutation keyed by {@code random} (use a fresh seed per run). */
  public UniqueBodies(RandomGenerator random) {
    for (int i = 0; i < ROUNDS; i++) {
      keys[i] = random.nextInt();
    }
  }

  /** The body for index {@code i}, {@code 0 <= i < SIZE}. */
  public String body(long i) {
    return Long.toString(MIN + permute(i));
  }

  /** The permuted offset for index {@code i}, in {@code [0, SIZE)}. */
  long permute(long i) {
    if (i < 0 || i >= SIZE) {
      throw new IllegalArgumentException("index must be in [0, " + SIZE + "), was " + i);
    }
    // Cycle walking: the Feistel network permutes [0, 2^30); re-apply until inside [0, SIZE).
    // SIZE is ~84% of 2^30, so this loops about 1.2 times on average.
    long x = i;
    do {
      x = feistel((int) x);
    } while (x >= SIZE);
    return x;
  }

  private int feistel(int x) {
    int left = (x >>> HALF_BITS) & HALF_MASK;
    int right = x & HALF_MASK;
    for (int key : keys) {
      int next = left ^ (round(right, key) & HALF_MASK);
      left = right;
      right = next;
    }
    return (left << HALF_BITS) | right;
  }

  private static int round(int half, int key) {
    int h = half * 0x9E3779B1 + key;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h;
  }
}
