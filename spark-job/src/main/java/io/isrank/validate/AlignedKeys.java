package io.isrank.validate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * The split keys of the aligned items, sorted, in key-range partitions kept by Spark ({@link
 * ItemIndex}): the split's order statistics read one partition each, and the driver never holds
 * more than one partition's keys (besides the fit sample's, which it asks for).
 */
public final class AlignedKeys {
  private final JavaRDD<ItemIndex.Part> parts;
  private final long[] counts;
  private final Map<Integer, long[]> fetched = new HashMap<>();

  /**
   * @param parts  the index's partitions, persisted
   * @param counts aligned items per partition, in partition (key) order
   */
  AlignedKeys(JavaRDD<ItemIndex.Part> parts, long[] counts) {
    this.parts = parts;
    this.counts = counts.clone();
  }

  public long count() {
    return Arrays.stream(counts).sum();
  }

  /** The k-th smallest key, 1 ≤ k ≤ {@link #count()}. */
  public long kth(long k) {
    if (k < 1 || k > count()) {
      throw new IllegalArgumentException("k = " + k + " of " + count() + " keys");
    }
    int p = 0;
    while (k > counts[p]) {
      k -= counts[p++];
    }
    return keys(p)[(int) (k - 1)];
  }

  /** How many keys are at most x. */
  public long countAtMost(long x) {
    int p = ItemIndex.range(x, counts.length);
    long below = 0;
    for (int i = 0; i < p; i++) {
      below += counts[i];
    }
    long[] keys = keys(p);
    int at = Arrays.binarySearch(keys, x);
    if (at < 0) {
      return below - at - 1;
    }
    while (at + 1 < keys.length && keys[at + 1] == x) {
      at++;
    }
    return below + at + 1;
  }

  /** Every key at most x, ascending (for the fit sample: a few tens of thousands). */
  public long[] atMost(long x) {
    int last = ItemIndex.range(x, counts.length);
    List<long[]>[] all = parts.map(ItemIndex.Part::alignedKeys).collectPartitions(range(0, last + 1));
    return Arrays.stream(all).flatMap(List::stream).flatMapToLong(Arrays::stream).filter(k -> k <= x).toArray();
  }

  public void unpersist() {
    parts.unpersist(false);
  }

  private long[] keys(int p) {
    return fetched.computeIfAbsent(p, i -> parts.map(ItemIndex.Part::alignedKeys).collectPartitions(new int[] {i})[0].get(0));
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }
}
