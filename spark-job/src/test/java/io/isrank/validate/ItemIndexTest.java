package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.job.SparkTestBase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The alignment index against a plain, one-machine count of the same rows: duplicates, conflicts,
 * aligned items and the aligned keys' order statistics, whatever the number of key ranges and the
 * way rows fall into blocks.
 */
class ItemIndexTest extends SparkTestBase {
  private static final String[] MODELS = {"a", "b", "c"};
  private static final int DIM = 4;

  /** One row as the scan records it. */
  private record Rec(String model, long h, long h2, long eh, int len, boolean nonFinite) {}

  private static List<Rec> rows(long seed) {
    Random random = new Random(seed);
    List<Rec> rows = new ArrayList<>();
    for (int item = 0; item < 3000; item++) {
      // a few keys shared by two items with different id hashes: they must not merge
      long h = item % 500 == 7 ? 42L : random.nextLong();
      long h2 = random.nextLong();
      for (String m : MODELS) {
        int kind = random.nextInt(40);
        if (kind == 0) {
          continue; // missing in this model
        }
        long eh = random.nextLong();
        rows.add(new Rec(m, h, h2, eh, kind == 1 ? DIM + 1 : DIM, kind == 2));
        if (kind == 3) {
          rows.add(new Rec(m, h, h2, eh, DIM, false)); // identical copy
        } else if (kind == 4) {
          rows.add(new Rec(m, h, h2, eh + 1, DIM, false)); // conflicting copy
        }
      }
    }
    java.util.Collections.shuffle(rows, random);
    return rows;
  }

  private static RowScan.Block block(List<Rec> rows, String... names) {
    Map<String, Integer> code = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      code.put(names[i], i);
    }
    long[] keys = new long[3 * rows.size()];
    long[] codes = new long[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      Rec x = rows.get(r);
      keys[3 * r] = x.h();
      keys[3 * r + 1] = x.h2();
      keys[3 * r + 2] = x.eh();
      long c = ((long) code.get(x.model()) << 32) | x.len();
      codes[r] = x.nonFinite() ? -1 - c : c;
    }
    return new RowScan.Block(Map.of(), names, rows.size(), keys, codes,
        KeptRows.none());
  }

  @Test
  void countsAndAlignedKeysMatchAPlainCountOnAnyPartitioning() {
    List<Rec> rows = rows(3);
    // expected, by brute force: per (model, item) the valid copies
    Map<String, Map<List<Long>, List<Long>>> byModel = new TreeMap<>();
    for (Rec r : rows) {
      if (r.len() == DIM && !r.nonFinite()) {
        byModel.computeIfAbsent(r.model(), k -> new HashMap<>()).computeIfAbsent(List.of(r.h(), r.h2()),
            k -> new ArrayList<>()).add(r.eh());
      }
    }
    long[] ids = new long[3];
    long[] dups = new long[3];
    long[] conflicts = new long[3];
    Map<List<Long>, Integer> unambiguous = new HashMap<>();
    for (int m = 0; m < 3; m++) {
      for (Map.Entry<List<Long>, List<Long>> e : byModel.get(MODELS[m]).entrySet()) {
        ids[m]++;
        if (e.getValue().stream().distinct().count() > 1) {
          conflicts[m]++;
        } else {
          dups[m] += e.getValue().size() - 1;
          unambiguous.merge(e.getKey(), 1, Integer::sum);
        }
      }
    }
    long[] aligned = unambiguous.entrySet().stream().filter(e -> e.getValue() == 3).mapToLong(e -> e.getKey().get(0))
        .sorted().toArray();

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // blocks whose local model order differs from the run's, and a model the run does not use
    List<RowScan.Block> blocks = List.of(
        block(rows.subList(0, 4000), "c", "a", "b"),
        block(rows.subList(4000, rows.size()), "b", "c", "a", "unused"));
    for (int partitions : new int[] {1, 3, 8}) {
      JavaRDD<ItemIndex.Part> parts = ItemIndex.index(jsc.parallelize(blocks, 2), Map.of("a", 0, "b", 1, "c", 2),
          new int[] {DIM, DIM, DIM}, partitions).cache();
      long[] gotIds = new long[3];
      long[] gotDups = new long[3];
      long[] gotConflicts = new long[3];
      List<ItemIndex.Part> found = parts.collect();
      long[] counts = new long[found.size()];
      for (int p = 0; p < found.size(); p++) {
        for (int m = 0; m < 3; m++) {
          gotIds[m] += found.get(p).ids()[m];
          gotDups[m] += found.get(p).duplicateRows()[m];
          gotConflicts[m] += found.get(p).conflicts()[m];
        }
        counts[p] = found.get(p).alignedKeys().length;
      }
      assertArrayEquals(ids, gotIds, "distinct ids, " + partitions + " ranges");
      assertArrayEquals(dups, gotDups, "duplicate rows, " + partitions + " ranges");
      assertArrayEquals(conflicts, gotConflicts, "conflicting ids, " + partitions + " ranges");
      long[] keys = found.stream().flatMapToLong(p -> Arrays.stream(p.alignedKeys())).toArray();
      assertArrayEquals(aligned, keys, "aligned keys in ascending order across ranges");

      AlignedKeys index = new AlignedKeys(parts, counts);
      assertEquals(aligned.length, index.count());
      for (long k : new long[] {1, 2, aligned.length / 3, aligned.length - 1, aligned.length}) {
        assertEquals(aligned[(int) k - 1], index.kth(k), "k = " + k);
        long x = aligned[(int) k - 1];
        long atMost = Arrays.stream(aligned).filter(v -> v <= x).count();
        assertEquals(atMost, index.countAtMost(x), "keys ≤ the " + k + "-th");
        assertEquals(atMost, index.atMost(x).length);
      }
      assertEquals(0, index.countAtMost(Long.MIN_VALUE));
      assertEquals(aligned.length, index.countAtMost(Long.MAX_VALUE));
      parts.unpersist();
    }
  }

  @Test
  void keyRangesAreInKeyOrderAndCoverEveryKey() {
    for (int n : new int[] {1, 2, 7, 1000}) {
      assertEquals(0, ItemIndex.range(Long.MIN_VALUE, n));
      assertEquals(n - 1, ItemIndex.range(Long.MAX_VALUE, n));
      Random random = new Random(n);
      for (int i = 0; i < 1000; i++) {
        long a = random.nextLong();
        long b = random.nextLong();
        if (a <= b) {
          assertEquals(true, ItemIndex.range(a, n) <= ItemIndex.range(b, n), a + " ≤ " + b);
        }
      }
    }
  }
}
