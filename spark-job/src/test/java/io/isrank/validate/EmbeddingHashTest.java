package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.load.InternalRows;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeArrayWriter;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.junit.jupiter.api.Test;

/** The scan's embedding hash and its null check on Spark's arrays. */
class EmbeddingHashTest {

  private static long lanes(float[] x) {
    double[] d = new double[x.length + 3]; // a longer buffer: only the first n values count
    for (int j = 0; j < x.length; j++) {
      d[j] = x[j];
    }
    d[x.length] = 99;
    return EmbeddingHash.lanes(d, x.length);
  }

  @Test
  void equalValuesHashAlikeAndOneUlpOrOrderDoesNot() {
    float[] x = new float[131]; // not a multiple of the four lanes
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) Math.sin(j);
    }
    float[] same = x.clone();
    assertEquals(lanes(x), lanes(same));
    float[] ulp = x.clone();
    ulp[130] = Math.nextUp(ulp[130]);
    assertNotEquals(lanes(x), lanes(ulp), "last element, the tail outside the lanes");
    float[] swapped = x.clone();
    swapped[0] = x[1];
    swapped[1] = x[0];
    assertNotEquals(lanes(x), lanes(swapped), "two lanes exchanging values");
    float[] zero = {0.0f, 1, 2, 3};
    float[] negativeZero = {-0.0f, 1, 2, 3};
    assertEquals(lanes(zero), lanes(negativeZero), "-0.0 equals 0.0");
    assertEquals(lanes(zero), EmbeddingHash.lanes(new double[] {0, 1, 2, 3}, 4),
        "a float embedding and its exact doubles hash alike");
    assertNotEquals(lanes(new float[] {1, 2}), lanes(new float[] {1, 2, 0}), "the length counts");
  }

  @Test
  void floatHashSeesEveryPositionIncludingBeyondItsTable() {
    // 5,000 values: the first 4,096 positions use the precomputed multipliers, the rest compute theirs
    float[] x = new float[5_000];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) Math.cos(j);
    }
    float[] buffer = java.util.Arrays.copyOf(x, x.length + 5); // only the first n values count
    buffer[x.length] = 42;
    long h = EmbeddingHash.floats(x, x.length);
    assertEquals(h, EmbeddingHash.floats(buffer, x.length));
    for (int at : new int[] {0, 4_095, 4_096, 4_999}) {
      float[] y = x.clone();
      y[at] = Math.nextUp(y[at]);
      assertNotEquals(h, EmbeddingHash.floats(y, y.length), "one ulp at " + at);
      y = x.clone();
      y[at] = -y[at];
      assertNotEquals(h, EmbeddingHash.floats(y, y.length), "sign flipped at " + at);
    }
    float[] swapped = x.clone();
    swapped[4_095] = x[4_096];
    swapped[4_096] = x[4_095];
    assertNotEquals(h, EmbeddingHash.floats(swapped, x.length));
    assertEquals(EmbeddingHash.floats(new float[] {0, 1}, 2), EmbeddingHash.floats(new float[] {-0.0f, 1}, 2));
    assertNotEquals(EmbeddingHash.floats(new float[] {1, 2}, 2), EmbeddingHash.floats(new float[] {1, 2, 0}, 3));
  }

  @Test
  void floatsAreCopiedStraightFromSparksArrays() {
    for (int n : new int[] {1, 64, 65, 200}) {
      UnsafeArrayData a = unsafe(n, n / 2);
      float[] got = new float[n + 1];
      got[n] = 7;
      InternalRows.readFloats(a, got);
      for (int j = 0; j < n; j++) {
        assertEquals(a.isNullAt(j) ? 0f : a.getFloat(j), got[j], 0.0f, n + " floats, element " + j);
      }
      assertEquals(7f, got[n], "nothing written past the array");
    }
    float[] got = new float[3];
    InternalRows.readFloats(new GenericArrayData(new Object[] {1f, null, 3f}), got);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 0, 3}, got);
  }

  @Test
  void nullElementsAreFoundInSparksArraysAtAnyPosition() {
    for (int n : new int[] {1, 63, 64, 65, 200}) {
      assertFalse(InternalRows.hasNullElement(unsafe(n, -1)), n + " elements, none null");
      for (int at : new int[] {0, n / 2, n - 1}) {
        assertTrue(InternalRows.hasNullElement(unsafe(n, at)), n + " elements, null at " + at);
      }
    }
    assertTrue(InternalRows.hasNullElement(new GenericArrayData(new Object[] {1.0, null})));
    assertFalse(InternalRows.hasNullElement(new GenericArrayData(new Object[] {1.0, 2.0})));
  }

  @Test
  void valuesAreReadStraightFromSparksArraysAsTheirElementReadsGiveThem() {
    for (int n : new int[] {1, 64, 65, 200}) {
      UnsafeArrayData a = unsafe(n, -1);
      double[] got = new double[n];
      InternalRows.readDoubles(a, true, got);
      for (int j = 0; j < n; j++) {
        assertEquals(a.getFloat(j), got[j], 0.0, n + " floats, element " + j);
      }
      double[] values = new double[n];
      for (int j = 0; j < n; j++) {
        values[j] = Math.exp(j / 7.0) - 3;
      }
      UnsafeArrayData d = UnsafeArrayData.fromPrimitiveArray(values);
      InternalRows.readDoubles(d, false, got);
      org.junit.jupiter.api.Assertions.assertArrayEquals(values, got, 0.0, n + " doubles");
    }
  }

  /** An UnsafeArrayData of n floats with element {@code nullAt} null (−1: none), as Spark writes it. */
  private static UnsafeArrayData unsafe(int n, int nullAt) {
    UnsafeRowWriter row = new UnsafeRowWriter(1, 64);
    row.resetRowWriter();
    int start = row.cursor();
    UnsafeArrayWriter w = new UnsafeArrayWriter(row, 4);
    w.initialize(n);
    for (int j = 0; j < n; j++) {
      if (j == nullAt) {
        w.setNull(j);
      } else {
        w.write(j, (float) j);
      }
    }
    row.setOffsetAndSizeFromPreviousCursor(0, start);
    return row.getRow().getArray(0);
  }
}
