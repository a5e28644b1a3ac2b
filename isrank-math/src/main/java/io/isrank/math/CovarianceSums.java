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
   */
  public void addRows(double[] rows, int count) {
    int d = shift.length;
    if (rows.length < count * d) {
      throw new IllegalArgumentException(count + " rows of dimension " + d + " need " + count * d + " values, got "
          + rows.length);
    }
    int groups = count / 4;
    double[] y = new double[groups * 4 * d];
    for (int r = 0; r < groups * 4; r++) {
      int from = r * d;
      for (int i = 0; i < d; i++) {
        double v = rows[from + i] - shift[i];
        y[from + i] = v;
        sum[i] += v;
      }
    }
    // Tiles of rows of Σ yyᵀ small enough to stay in cache while every group of four rows passes
    // over them: the packed triangle is read and written once per tile per block of rows instead
    // of once per four rows (a 4,000-dimension triangle is 64 MB). Each element still receives the
    // same four-row sums in the same order, so the result does not depend on the tiling.
    int i0 = 0;
    int o0 = 0;
    while (i0 < d) {
      int i1 = i0;
      long entries = 0;
      while (i1 < d && (i1 == i0 || entries + (d - i1) <= TILE_ENTRIES)) {
        entries += d - i1;
        i1++;
      }
      for (int g = 0; g < groups; g++) {
        int y0 = 4 * g * d;
        int y1 = y0 + d;
        int y2 = y1 + d;
        int y3 = y2 + d;
        int o = o0;
        for (int i = i0; i < i1; i++) {
          double a0 = y[y0 + i];
          double a1 = y[y1 + i];
          double a2 = y[y2 + i];
          double a3 = y[y3 + i];
          int base = o - i;
          for (int j = i; j < d; j++) {
            cross[base + j] += a0 * y[y0 + j] + a1 * y[y1 + j] + a2 * y[y2 + j] + a3 * y[y3 + j];
          }
          o += d - i;
        }
      }
      for (int i = i0; i < i1; i++) {
        o0 += d - i;
      }
      i0 = i1;
    }
    this.count += 4L * groups;
    double[] one = new double[d];
    for (int r = groups * 4; r < count; r++) {
      System.arraycopy(rows, r * d, one, 0, d);
      add(one);
    }
  }

  /** Elements of Σ yyᵀ per cache tile of {@link #addRows} (128k doubles: 1 MB). */
  static final int TILE_ENTRIES = 1 << 17;

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
