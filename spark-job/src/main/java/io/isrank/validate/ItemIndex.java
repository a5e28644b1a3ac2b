package io.isrank.validate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Duplicates, conflicts and alignment by id, from the scan's blocks ({@link RowScan}) in one
 * shuffle of four longs per valid row — never the embeddings, never a string key.
 *
 * <p>Valid rows are routed by their split key h to {@code partitions} key ranges (partition i
 * holds the i-th range, so the partitions are in key order), each task's rows travel as one array
 * per destination, and each destination sorts its rows by (h, id hash, model) and reads them in one
 * scan: per (model, item) the copies and whether their embeddings agree (duplicates collapse,
 * differing copies conflict), per item whether every model has it unambiguously (aligned). What a
 * partition keeps is small: per-model counts, the sorted split keys of its aligned items and the
 * conflicting (model, item) keys.
 */
final class ItemIndex {
  private ItemIndex() {}

  /**
   * One key range's findings.
   *
   * @param ids           per model: distinct ids (conflicting ones included)
   * @param duplicateRows per model: extra identical copies collapsed
   * @param conflicts     per model: ids whose copies differ
   * @param lowest        per model: smallest embedding hash (Long.MAX_VALUE when the model has none here)
   * @param highest       per model: largest embedding hash (Long.MIN_VALUE when none)
   * @param alignedKeys   split keys of the items every model has, valid and unambiguous, ascending
   * @param conflictKeys  (model, h, id hash) of every conflicting id (stride 3)
   */
  public record Part(long[] ids, long[] duplicateRows, long[] conflicts, long[] lowest, long[] highest,
      long[] alignedKeys, long[] conflictKeys) implements Serializable {

    /** This part without its aligned keys (what the driver collects). */
    public Part summary() {
      return new Part(ids, duplicateRows, conflicts, lowest, highest, new long[0], conflictKeys);
    }
  }

  /** The key range (of {@code partitions}, in key order) that split key h belongs to. */
  public static int range(long h, int partitions) {
    long u = (h ^ Long.MIN_VALUE) >>> 1; // signed order → [0, 2⁶³) in the same order
    return (int) (u / (Long.MAX_VALUE / partitions + 1));
  }

  /**
   * @param valid per block model name → model index, or absent for rows that are not used
   * @param dims  per model index, the valid length
   */
  public static JavaRDD<Part> index(JavaRDD<RowScan.Block> blocks, Map<String, Integer> valid, int[] dims,
      int partitions) {
    int models = dims.length;
    return blocks.flatMapToPair(b -> route(b, valid, dims, partitions).iterator())
        .partitionBy(new HashPartitioner(partitions)) // Integer keys 0 … partitions − 1: partition = key
        .mapPartitions(it -> List.of(part(it, models)).iterator(), true);
  }

  /** A block's valid rows as (destination, h, id hash, embedding hash, model) arrays, one per destination. */
  static List<Tuple2<Integer, long[]>> route(RowScan.Block b, Map<String, Integer> valid, int[] dims,
      int partitions) {
    int[] global = new int[b.models().length];
    for (int i = 0; i < global.length; i++) {
      global[i] = valid.getOrDefault(b.models()[i], -1);
    }
    // Two passes over the block: count each destination's rows, then fill arrays of exactly that
    // size (the rows are most of a task's memory here: no growing, no copying).
    long[] keys = b.keys();
    int[] dest = new int[b.rows()];
    int[] count = new int[partitions];
    for (int r = 0; r < b.rows(); r++) {
      long code = b.codes()[r];
      int model = code < 0 ? -1 : global[(int) (code >>> 32)]; // non-finite rows are not used
      if (model < 0 || (int) code != dims[model]) {
        dest[r] = -1;
        continue;
      }
      dest[r] = range(keys[3 * r], partitions);
      count[dest[r]]++;
    }
    long[][] out = new long[partitions][];
    int[] filled = new int[partitions];
    for (int r = 0; r < b.rows(); r++) {
      int p = dest[r];
      if (p < 0) {
        continue;
      }
      long[] to = out[p] == null ? out[p] = new long[4 * count[p]] : out[p];
      int at = filled[p];
      to[at] = keys[3 * r];
      to[at + 1] = keys[3 * r + 1];
      to[at + 2] = keys[3 * r + 2];
      to[at + 3] = global[(int) (b.codes()[r] >>> 32)];
      filled[p] = at + 4;
    }
    List<Tuple2<Integer, long[]>> routed = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      if (out[p] != null) {
        routed.add(new Tuple2<>(p, out[p]));
      }
    }
    return routed;
  }

  /** Sorts one key range's rows and reads duplicates, conflicts and alignment off them. */
  static Part part(Iterator<Tuple2<Integer, long[]>> it, int models) {
    List<long[]> arrays = new ArrayList<>();
    long size = 0;
    while (it.hasNext()) {
      long[] a = it.next()._2();
      arrays.add(a);
      size += a.length;
    }
    long[] rec = new long[Math.toIntExact(size)]; // stride 4: h, id hash, embedding hash, model
    int at = 0;
    for (long[] a : arrays) {
      System.arraycopy(a, 0, rec, at, a.length);
      at += a.length;
    }
    int n = rec.length / 4;
    int[] order = RecordSort.byKeys(rec, n);
    long[] ids = new long[models];
    long[] dups = new long[models];
    long[] conflicts = new long[models];
    long[] lowest = new long[models];
    long[] highest = new long[models];
    Arrays.fill(lowest, Long.MAX_VALUE);
    Arrays.fill(highest, Long.MIN_VALUE);
    LongList aligned = new LongList();
    LongList conflictKeys = new LongList();
    int i = 0;
    while (i < n) {
      int item = i;
      long h = rec[4 * order[i]];
      long h2 = rec[4 * order[i] + 1];
      int unambiguous = 0;
      while (i < n && rec[4 * order[i]] == h && rec[4 * order[i] + 1] == h2) {
        int model = (int) rec[4 * order[i] + 3];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int copies = 0;
        while (i < n && rec[4 * order[i]] == h && rec[4 * order[i] + 1] == h2 && rec[4 * order[i] + 3] == model) {
          long eh = rec[4 * order[i] + 2];
          min = Math.min(min, eh);
          max = Math.max(max, eh);
          copies++;
          i++;
        }
        ids[model]++;
        lowest[model] = Math.min(lowest[model], min);
        highest[model] = Math.max(highest[model], max);
        if (min != max) {
          conflicts[model]++;
          conflictKeys.add(model, h, h2);
        } else {
          dups[model] += copies - 1;
          unambiguous++;
        }
      }
      if (unambiguous == models) {
        aligned.add(h);
      }
      assert i > item;
    }
    return new Part(ids, dups, conflicts, lowest, highest, aligned.toArray(), conflictKeys.toArray());
  }

  /** A growable array of longs. */
  static final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long a) {
      grow(1);
      values[size++] = a;
    }

    void add(long a, long b, long c) {
      grow(3);
      values[size++] = a;
      values[size++] = b;
      values[size++] = c;
    }


    private void grow(int more) {
      if (size + more > values.length) {
        values = Arrays.copyOf(values, Math.max(2 * values.length, size + more));
      }
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
