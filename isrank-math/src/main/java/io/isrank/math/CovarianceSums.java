package io.isrank.math;

import java.io.Serializable;

/**
 * Running sums for a mean and covariance: n, Σ y and Σ y yᵀ (upper triangle, packed by rows) of
 * y = x − shift. Mergeable, so a distributed pass keeps one per partition and adds them up.
 *
 * <p>The shift guards against cancellation in Σ yyᵀ − n ȳȳᵀ: pass a rough mean (e.g. from a first
 * pass) when the data sit far from the origin relative to their spread; zero is fine for whitened
 * data, which are already centred.
 */
public final class CovarianceSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Columns of Σ yyᵀ per tile of {@link #addRows} (2 KB per row: a tile stays in L1). */
  static final int SEGMENT = 256;
  /** Rows of Σ yyᵀ per tile of {@link #addRows}. */
  static final int ROW_TILE = 16;
  /** Columns per tile of {@link #addRowsRounded} (4 KB per row of floats; measured best of 256–1024). */
  static final int SEGMENT_SINGLE = 1024;
  /** Rows per tile of {@link #addRowsRounded}. */
  static final int ROW_TILE_SINGLE = 32;

  private final double[] shift;
  private long count;
  private final double[] sum;
  private final double[] cross;
  private transient double[] scratch;

  public CovarianceSums(double[] shift) {
    this.shift = shift.clone();
    int d = shift.length;
    this.sum = new double[d];
    this.cross = new double[d * (d + 1) / 2];
  }

  public int dim() {
    return shift.length;
  }

  public long count() {
    return count;
  }

  /** Adds one vector. */
  public void add(double[] x) {
    int d = shift.length;
    if (x.length != d) {
      throw new IllegalArgumentException("vector has dimension " + x.length + ", expected " + d);
    }
    if (scratch == null) {
      scratch = new double[d];
    }
    double[] y = scratch;
    for (int i = 0; i < d; i++) {
      y[i] = x[i] - shift[i];
      sum[i] += y[i];
    }
    int o = 0;
    for (int i = 0; i < d; i++) {
      double yi = y[i];
      for (int j = i; j < d; j++) {
        cross[o + j - i] += yi * y[j];
      }
      o += d - i;
    }
    count++;
  }

  /**
   * Adds {@code count} vectors stored row-major in {@code rows} (row r at r·d), four at a time: each
   * element of Σ yyᵀ is loaded and stored once per four rows (a rank-4 update), which is what makes
   * a pass over thousands of dimensions affordable. The sums equal those of {@link #add} up to
   * rounding (the four products are added before they reach the running sum); for a given order
   * of rows and block size they are identical on every run.
   *
   * <p>The work goes by tiles of {@link #ROW_TILE} rows × {@link #SEGMENT} columns of Σ yyᵀ, each
   * copied out of the packed triangle into small arrays, updated by every group of four rows, and
   * copied back; the rows are cut into segments of the same columns. The inner loop then reads and
   * writes separate arrays at one and the same index, the form HotSpot's auto-vectoriser accepts
   * (it cannot prove that two arrays read at different offsets are not the same array, and then
   * runs the loop one element at a time: 2.5× slower). Every element still receives the same
   * four-row sums in the same order, so the tiling changes no bit.
   */
  public void addRows(double[] rows, int count) {
    int d = shift.length;
    requireValues(rows, count);
    int groups = count / 4;
    int blocked = groups * 4;
    int segments = (d + SEGMENT - 1) / SEGMENT;
    double[] y = new double[blocked * d];
    // part[r · segments + s]: row r's columns of segment s, as their own array
    double[][] part = new double[blocked * segments][];
    for (int r = 0; r < blocked; r++) {
      int from = r * d;
      for (int i = 0; i < d; i++) {
        double v = rows[from + i] - shift[i];
        y[from + i] = v;
        sum[i] += v;
      }
      for (int s = 0; s < segments; s++) {
        part[r * segments + s] = java.util.Arrays.copyOfRange(y, from + s * SEGMENT, from + Math.min(d, (s + 1) * SEGMENT));
      }
    }
    double[][] tile = new double[ROW_TILE][SEGMENT];
    for (int s = 0; s < segments && groups > 0; s++) {
      int j0 = s * SEGMENT;
      int j1 = Math.min(d, j0 + SEGMENT);
      int width = j1 - j0;
      for (int i0 = 0; i0 < j1; i0 += ROW_TILE) {
        int i1 = Math.min(j1, i0 + ROW_TILE);
        for (int i = i0; i < i1; i++) {
          int from = Math.max(i, j0);
          System.arraycopy(cross, rowOffset(i, d) + from - i, tile[i - i0], from - j0, j1 - from);
        }
        for (int g = 0; g < groups; g++) {
          int r0 = 4 * g;
          double[] p0 = part[r0 * segments + s];
          double[] p1 = part[(r0 + 1) * segments + s];
          double[] p2 = part[(r0 + 2) * segments + s];
          double[] p3 = part[(r0 + 3) * segments + s];
          int y0 = r0 * d;
          for (int i = i0; i < i1; i++) {
            rank4(tile[i - i0], Math.max(0, i - j0), width, y[y0 + i], y[y0 + d + i], y[y0 + 2 * d + i],
                y[y0 + 3 * d + i], p0, p1, p2, p3);
          }
        }
        for (int i = i0; i < i1; i++) {
          int from = Math.max(i, j0);
          System.arraycopy(tile[i - i0], from - j0, cross, rowOffset(i, d) + from - i, j1 - from);
        }
      }
    }
    this.count += blocked;
    double[] one = new double[d];
    for (int r = blocked; r < count; r++) {
      System.arraycopy(rows, r * d, one, 0, d);
      add(one);
    }
  }

  /**
   * As {@link #addRows}, in single precision: each row, after the shift, is rounded to float, and
   * one call's products are summed in float — four rows at a time, into float tiles that start at
   * zero — before they are added to the double sums. Σ y adds the rounded values in double. About
   * 1.7× faster than {@link #addRows} (twice the products per vector instruction, half the memory
   * traffic). Each entry of Σ yyᵀ is then off by at most about (count + 2)·2⁻²⁴·Σ|yᵢyⱼ| from the
   * exact sum of the unrounded rows: for statistics that tolerate relative errors near 10⁻⁵ over
   * calls of a few hundred rows (a test's r²), not for a covariance that is inverted. A call with
   * a row count that is not a multiple of four pads the last group with zero rows, which add
   * nothing. The same rows in the same calls give the same bits.
   */
  public void addRowsRounded(double[] rows, int count) {
    int d = shift.length;
    requireValues(rows, count);
    int groups = (count + 3) / 4;
    int segments = (d + SEGMENT_SINGLE - 1) / SEGMENT_SINGLE;
    float[] y = new float[groups * 4 * d];
    for (int r = 0; r < count; r++) {
      for (int i = 0; i < d; i++) {
        float v = (float) (rows[r * d + i] - shift[i]);
        y[r * d + i] = v;
        sum[i] += v;
      }
    }
    // part[r · segments + s]: row r's columns of segment s, as their own array
    float[][] part = new float[groups * 4 * segments][];
    for (int r = 0; r < groups * 4; r++) {
      for (int s = 0; s < segments; s++) {
        part[r * segments + s] = java.util.Arrays.copyOfRange(y, r * d + s * SEGMENT_SINGLE,
            r * d + Math.min(d, (s + 1) * SEGMENT_SINGLE));
      }
    }
    float[][] tile = new float[ROW_TILE_SINGLE][SEGMENT_SINGLE];
    for (int s = 0; s < segments && groups > 0; s++) {
      int j0 = s * SEGMENT_SINGLE;
      int j1 = Math.min(d, j0 + SEGMENT_SINGLE);
      int width = j1 - j0;
      for (int i0 = 0; i0 < j1; i0 += ROW_TILE_SINGLE) {
        int i1 = Math.min(j1, i0 + ROW_TILE_SINGLE);
        for (int i = i0; i < i1; i++) {
          java.util.Arrays.fill(tile[i - i0], 0f);
        }
        for (int g = 0; g < groups; g++) {
          int r0 = 4 * g;
          float[] p0 = part[r0 * segments + s];
          float[] p1 = part[(r0 + 1) * segments + s];
          float[] p2 = part[(r0 + 2) * segments + s];
          float[] p3 = part[(r0 + 3) * segments + s];
          int y0 = r0 * d;
          for (int i = i0; i < i1; i++) {
            rank4(tile[i - i0], Math.max(0, i - j0), width, y[y0 + i], y[y0 + d + i], y[y0 + 2 * d + i],
                y[y0 + 3 * d + i], p0, p1, p2, p3);
          }
        }
        for (int i = i0; i < i1; i++) {
          int from = Math.max(i, j0);
          int at = rowOffset(i, d) + from - i - (from - j0);
          float[] t = tile[i - i0];
          for (int j = from - j0; j < width; j++) {
            cross[at + j] += t[j];
          }
        }
      }
    }
    this.count += count;
  }

  /** As the double rank-4 update, in float: t[j] += a0·p0[j] + a1·p1[j] + a2·p2[j] + a3·p3[j]. */
  private static void rank4(float[] t, int from, int to, float a0, float a1, float a2, float a3, float[] p0,
      float[] p1, float[] p2, float[] p3) {
    for (int j = from; j < to; j++) {
      t[j] += a0 * p0[j] + a1 * p1[j] + a2 * p2[j] + a3 * p3[j];
    }
  }

  /** Σ yᵢyⱼ as summed so far (i ≤ j), for tests. */
  double product(int i, int j) {
    return cross[rowOffset(i, shift.length) + j - i];
  }

  /** Rejects a row buffer too short for {@code count} rows of this dimension. */
  private void requireValues(double[] rows, int count) {
    int d = shift.length;
    if (rows.length < count * d) {
      throw new IllegalArgumentException(count + " rows of dimension " + d + " need " + count * d + " values, got "
          + rows.length);
    }
  }

  /** Where row i of the packed triangle starts (it holds columns i … d − 1). */
  private static int rowOffset(int i, int d) {
    return i * d - i * (i - 1) / 2;
  }

  /** t[j] += a0·p0[j] + a1·p1[j] + a2·p2[j] + a3·p3[j] for j in [from, to): one index for all. */
  private static void rank4(double[] t, int from, int to, double a0, double a1, double a2, double a3, double[] p0,
      double[] p1, double[] p2, double[] p3) {
    for (int j = from; j < to; j++) {
      t[j] += a0 * p0[j] + a1 * p1[j] + a2 * p2[j] + a3 * p3[j];
    }
  }

  /** Adds another partition's sums (same shift required) into this one; returns this. */
  public CovarianceSums merge(CovarianceSums other) {
    if (!java.util.Arrays.equals(shift, other.shift)) {
      throw new IllegalArgumentException("cannot merge sums taken about different shifts");
    }
    count += other.count;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    for (int i = 0; i < cross.length; i++) {
      cross[i] += other.cross[i];
    }
    return this;
  }

  public double[] mean() {
    requireRows(1);
    double[] m = new double[shift.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = shift[i] + sum[i] / count;
    }
    return m;
  }

  /** The unbiased sample covariance (divisor n − 1). */
  public double[][] covariance() {
    requireRows(2);
    int d = shift.length;
    double[][] c = new double[d][d];
    int o = 0;
    for (int i = 0; i < d; i++) {
      double mi = sum[i] / count;
      for (int j = i; j < d; j++) {
        double v = (cross[o + j - i] - count * mi * (sum[j] / count)) / (count - 1);
        c[i][j] = v;
        c[j][i] = v;
      }
      o += d - i;
    }
    return c;
  }

  private void requireRows(int n) {
    if (count < n) {
      throw new IllegalStateException("need at least " + n + " rows, have " + count);
    }
  }
}
