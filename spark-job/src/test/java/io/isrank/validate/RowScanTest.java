package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The validation scan's block of one task: the rows it keeps whole for the fit sample. */
class RowScanTest {

  /** Rows (model, id, embedding, split key, id hash) as the scan reads them; every third has 7 values. */
  private static List<InternalRow> rows(int n, int dim, boolean floats, long seed) {
    Random random = new Random(seed);
    List<InternalRow> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = i % 3 == 2 ? 7 : dim;
      double[] d = new double[len];
      float[] f = new float[len];
      for (int j = 0; j < len; j++) {
        f[j] = (float) random.nextGaussian();
        d[j] = floats ? f[j] : random.nextGaussian();
      }
      out.add(new GenericInternalRow(new Object[] {UTF8String.fromString(i % 2 == 0 ? "a" : "b"), (long) i,
          floats ? UnsafeArrayData.fromPrimitiveArray(f) : UnsafeArrayData.fromPrimitiveArray(d),
          random.nextLong(), random.nextLong()}));
    }
    return out;
  }

  @Test
  void keptRowsComeBackValueForValueAcrossChunks() {
    for (boolean floats : new boolean[] {true, false}) {
      // 6,000 rows of up to 300 values: well over a megavalue, so the kept rows fill several chunks
      // (16k values first, doubling to the cap) and some end where a chunk has no room left
      List<InternalRow> in = rows(6000, 300, floats, floats ? 1 : 2);
      long keep = 0; // about half of the uniform keys are at most 0
      KeptRows kept = RowScan.block(in.iterator(), floats, false, keep).candidates();
      int expected = 0;
      for (InternalRow r : in) {
        expected += r.getLong(3) <= keep ? 1 : 0;
      }
      assertEquals(expected, kept.count());
      assertTrue(kept.chunkCount() > 3, "several chunks: " + kept.chunkCount());
      for (int i = 0; i < kept.count(); i++) {
        InternalRow r = in.get(kept.blockRow(i));
        assertEquals(r.getLong(1), kept.id(i));
        assertEquals(r.getLong(3), kept.key(i));
        if (floats) {
          assertArrayEquals(r.getArray(2).toFloatArray(), java.util.Arrays.copyOfRange((float[]) kept.values(i),
              kept.offset(i), kept.offset(i) + kept.length(i)), "row " + kept.blockRow(i));
        } else {
          assertArrayEquals(r.getArray(2).toDoubleArray(), java.util.Arrays.copyOfRange((double[]) kept.values(i),
              kept.offset(i), kept.offset(i) + kept.length(i)), "row " + kept.blockRow(i));
        }
      }
    }
  }

  @Test
  void stringIdsAreCopiedOutOfTheReusedBuffer() {
    List<InternalRow> in = new ArrayList<>();
    for (InternalRow r : rows(500, 16, true, 4)) {
      in.add(new GenericInternalRow(new Object[] {r.getUTF8String(0), UTF8String.fromString("item-" + r.getLong(1)),
          r.getArray(2), r.getLong(3), r.getLong(4)}));
    }
    // one reused row buffer, as Spark's scan hands rows over: each kept id must be a copy
    byte[] buffer = new byte[64];
    java.util.Iterator<InternalRow> reused = in.stream().map(r -> {
      byte[] id = r.getUTF8String(1).getBytes();
      java.util.Arrays.fill(buffer, (byte) 0);
      System.arraycopy(id, 0, buffer, 0, id.length);
      return (InternalRow) new GenericInternalRow(new Object[] {r.getUTF8String(0),
          UTF8String.fromBytes(buffer, 0, id.length), r.getArray(2), r.getLong(3), r.getLong(4)});
    }).iterator();
    KeptRows kept = RowScan.block(reused, true, true, 0).candidates();
    assertTrue(kept.count() > 100);
    for (int i = 0; i < kept.count(); i++) {
      assertEquals("item-" + kept.blockRow(i), kept.id(i).toString());
    }
  }

  @Test
  void floatRowsAreCheckedAndHashedFromTheirBits() {
    float[][] embeddings = {
        {1, 2, 3}, {1, 2, 3}, // 0, 1: identical copies hash alike
        {-0.0f, 2, 3}, {0, 2, 3}, // 2, 3: −0.0 equals 0.0
        {1, 2, Math.nextUp(3f)}, {2, 1, 3}, // 4, 5: one ulp, two values swapped: not row 0
        {1, Float.NaN, 3}, {Float.POSITIVE_INFINITY, 2, 3}, {1, 2, Float.NEGATIVE_INFINITY}, // 6–8: not finite
        {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}, // 9: the largest and smallest finite values
        {1, 2, 3, 0}, // 10: one more value (a zero) is another embedding
    };
    List<InternalRow> in = new ArrayList<>();
    for (int i = 0; i < embeddings.length; i++) {
      in.add(new GenericInternalRow(new Object[] {UTF8String.fromString("a"), (long) i,
          UnsafeArrayData.fromPrimitiveArray(embeddings[i]), (long) i, (long) -i}));
    }
    // 11: a null element, in an array that is not Spark's unsafe one
    in.add(new GenericInternalRow(new Object[] {UTF8String.fromString("a"), 11L,
        new org.apache.spark.sql.catalyst.util.GenericArrayData(new Object[] {1f, null, 3f}), 11L, -11L}));
    RowScan.Block b = RowScan.block(in.iterator(), true, false, Long.MIN_VALUE);
    assertEquals(12, b.rows());
    for (int r = 0; r < 12; r++) {
      assertEquals(r >= 6 && r <= 8 || r == 11, b.nonFinite(r), "row " + r + " non-finite");
      assertEquals(r == 10 ? 4 : 3, b.length(r));
    }
    long[] hash = new long[12];
    for (int r = 0; r < 12; r++) {
      hash[r] = b.keys()[3 * r + 2];
    }
    assertEquals(hash[0], hash[1]);
    assertEquals(hash[2], hash[3]);
    for (int r : new int[] {2, 4, 5, 9, 10}) {
      assertTrue(hash[r] != hash[0], "row " + r + " hashes as row 0");
    }
    assertEquals(EmbeddingHash.floats(embeddings[0], 3), hash[0], "the scan's hash is EmbeddingHash.floats");
  }

  @Test
  void modelsInAnyOrderKeepTheirNames() {
    // interleaved in a repeating order, then out of it (the guessed next model is wrong), a new
    // model late, runs of one model: every row keeps its own model's name
    String[] order = {"a", "b", "c", "a", "b", "c", "a", "c", "b", "b", "a", "d", "a", "b", "c", "d", "d", "c"};
    List<InternalRow> in = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      in.add(new GenericInternalRow(new Object[] {UTF8String.fromString(order[i]), (long) i,
          UnsafeArrayData.fromPrimitiveArray(new float[] {i, 1}), (long) i, (long) -i}));
    }
    RowScan.Block b = RowScan.block(in.iterator(), true, false, Long.MIN_VALUE);
    for (int r = 0; r < order.length; r++) {
      assertEquals(order[r], b.model(r), "row " + r);
    }
  }

  @Test
  void noThresholdKeepsNothing() {
    KeptRows kept = RowScan.block(rows(100, 5, true, 3).iterator(), true, false, Long.MIN_VALUE).candidates();
    assertEquals(0, kept.count());
    assertEquals(0, kept.chunkCount());
  }
}
