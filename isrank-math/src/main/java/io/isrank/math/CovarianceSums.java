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
    double[] y = new double[4 * d];
    int r = 0;
    for (; r + 4 <= count; r += 4) {
      for (int k = 0; k < 4; k++) {
        int from = (r + k) * d;
        for (int i = 0; i < d; i++) {
          double v = rows[from + i] - shift[i];
          y[k * d + i] = v;
          sum[i] += v;
        }
      }
      int o = 0;
      for (int i = 0; i < d; i++) {
        double a0 = y[i];
        double a1 = y[d + i];
        double a2 = y[2 * d + i];
        double a3 = y[3 * d + i];
        int base = o - i;
        for (int j = i; j < d; j++) {
          cross[base + j] += a0 * y[j] + a1 * y[d + j] + a2 * y[2 * d + j] + a3 * y[3 * d + j];
        }
        o += d - i;
      }
      this.count += 4;
    }
    double[] one = new double[d];
    for (; r < count; r++) {
      System.arraycopy(rows, r * d, one, 0, d);
      add(one);
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
