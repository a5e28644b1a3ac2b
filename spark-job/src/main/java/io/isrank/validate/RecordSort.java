package io.isrank.validate;

/**
 * Sorts fixed-size records of longs (stride 4: h, id hash, embedding hash, model) by (h, id hash,
 * model), as a permutation: a least-significant-digit radix sort on h (linear in rows, no boxing,
 * no comparator), then the short runs of equal h — one item's rows across models — by insertion.
 */
public final class RecordSort {
  private static final int STRIDE = 4;
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;

  private RecordSort() {}

  /** Bits of a packed sort key that hold the record's index (up to 2²¹ records per sort). */
  private static final int INDEX_BITS = 21;

  /** Indices of the {@code n} records in (h, id hash, model) order, signed. */
  public static int[] byKeys(long[] rec, int n) {
    if (n <= 1 << INDEX_BITS) {
      return packed(rec, n);
    }
    return radix(rec, n);
  }

  /**
   * For up to 2²¹ records: each record's h with its low 21 bits replaced by the record's index,
   * sorted as plain longs (the JDK's primitive sort, no comparator), then the runs that agree on
   * the kept 43 bits — one item's rows, and the rare keys that share those bits — put in full
   * (h, id hash, model) order by insertion.
   */
  private static int[] packed(long[] rec, int n) {
    long mask = -1L << INDEX_BITS;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (rec[STRIDE * i] & mask) | i;
    }
    java.util.Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & ~mask);
    }
    orderRuns(rec, order, mask);
    return order;
  }

  /**
   * Puts in full (h, id hash, model) order each run of adjacent records whose keys agree on the
   * bits of {@code mask} (runs are short: one item's rows across models), by insertion.
   */
  private static void orderRuns(long[] rec, int[] order, long mask) {
    int n = order.length;
    int i = 0;
    while (i < n) {
      int j = i + 1;
      long top = rec[STRIDE * order[i]] & mask;
      while (j < n && (rec[STRIDE * order[j]] & mask) == top) {
        j++;
      }
      for (int a = i + 1; a < j; a++) {
        int r = order[a];
        int b = a - 1;
        while (b >= i && fullyAfter(rec, order[b], r)) {
          order[b + 1] = order[b];
          b--;
        }
        order[b + 1] = r;
      }
      i = j;
    }
  }

  /** Whether record x sorts after record y on (h, id hash, model). */
  private static boolean fullyAfter(long[] rec, int x, int y) {
    int c = Long.compare(rec[STRIDE * x], rec[STRIDE * y]);
    return c > 0 || (c == 0 && after(rec, x, y));
  }

  /** A least-significant-digit radix sort on h, then runs of equal h by insertion. */
  static int[] radix(long[] rec, int n) {
    int[] order = new int[n];
    int[] spare = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] count = new int[RADIX + 1];
    for (int shift = 0; shift < 64; shift += BITS) {
      java.util.Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[digit(rec[STRIDE * i], shift) + 1]++;
      }
      if (n == 0 || count[digit(rec[0], shift) + 1] == n) {
        continue; // every key has the same digit here
      }
      for (int d = 0; d < RADIX; d++) {
        count[d + 1] += count[d];
      }
      for (int i = 0; i < n; i++) {
        int r = order[i];
        spare[count[digit(rec[STRIDE * r], shift)]++] = r;
      }
      int[] t = order;
      order = spare;
      spare = t;
    }
    orderRuns(rec, order, -1L); // runs of equal h: by id hash, then model
    return order;
  }

  /** Whether record x sorts after record y on (id hash, model), both having the same h. */
  private static boolean after(long[] rec, int x, int y) {
    int c = Long.compare(rec[STRIDE * x + 1], rec[STRIDE * y + 1]);
    return c > 0 || (c == 0 && rec[STRIDE * x + 3] > rec[STRIDE * y + 3]);
  }

  /** The digit of a signed key at a bit position, in unsigned order (sign bit flipped). */
  private static int digit(long key, int shift) {
    return (int) (((key ^ Long.MIN_VALUE) >>> shift) & (RADIX - 1));
  }
}
