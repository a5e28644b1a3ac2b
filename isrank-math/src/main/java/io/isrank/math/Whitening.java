package io.isrank.math;

import java.io.Serializable;

/**
 * Per-model reduction and whitening: z = Λ_p^{-½} V_pᵀ (x − μ), where V_p holds the top p
 * eigenvectors of the covariance Σ and Λ_p their eigenvalues. Fitted on the fit sample, applied
 * everywhere.
 *
 * <p>It centres only: coordinates are not z-scored before the eigendecomposition, because that
 * flattens the spectrum and, for models whose coordinates are already ordered by importance
 * (LSA/SVD outputs, PCA-compressed vectors), throws away the directions that carry information.
 * Directions whose variance is below {@code relativeTolerance} × the largest are dropped: they are
 * numerically zero and would only blow up under whitening.
 *
 * <p>The map is invertible on the kept subspace, so IS, which is invariant under invertible maps
 * of either model, is unchanged by it; entropies are reported in the whitened coordinates.
 */
public final class Whitening implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Directions from which {@link #applyFour} beats four calls of apply (measured: 1.6× at 32, 2.6× at 384). */
  static final int FOUR_ROWS_FROM_DIMS = 32;

  private final double[] mean;
  private final double[][] projection;
  private final double[] keptVariances;
  private final double totalVariance;
  private final int available;
  /** The projection transposed, [original coordinate][direction], for {@link #applyFour}; made on first use. */
  private transient volatile double[][] columns;
  /** Zeros for {@link #apply}'s last group of directions; made on first use. */
  private transient volatile double[] zeros;

  private Whitening(double[] mean, double[][] projection, double[] keptVariances, double totalVariance,
      int available) {
    this.mean = mean;
    this.projection = projection;
    this.keptVariances = keptVariances;
    this.totalVariance = totalVariance;
    this.available = available;
  }

  /**
   * Fits the whitening from a mean and covariance.
   *
   * @param maxDims           p, the most directions to keep (>= 1)
   * @param relativeTolerance directions with variance <= this × the largest are dropped (>= 0)
   * @return a whitening with {@link #reducedDim()} between 0 (zero variance) and min(p, d)
   */
  public static Whitening fit(double[] mean, double[][] covariance, int maxDims, double relativeTolerance) {
    int d = mean.length;
    if (covariance.length != d) {
      throw new IllegalArgumentException("mean has dimension " + d + ", covariance " + covariance.length);
    }
    if (maxDims < 1) {
      throw new IllegalArgumentException("maxDims must be >= 1, got " + maxDims);
    }
    double total = 0;
    for (int i = 0; i < d; i++) {
      total += covariance[i][i];
    }
    // EJML's symmetric QR algorithm (tridiagonalisation, implicit QR steps): twice as fast as
    // commons-math's at 384 dimensions, the driver's main cost between the reduction's passes.
    org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> eigen =
        org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, true, true);
    if (d > 0 && !eigen.decompose(new org.ejml.data.DMatrixRMaj(covariance))) {
      throw new ArithmeticException("the eigen-decomposition of a " + d + "-dimensional covariance did not converge");
    }
    double[] values = new double[d];
    for (int i = 0; i < d; i++) {
      values[i] = eigen.getEigenvalue(i).real;
    }
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double largest = d == 0 ? 0 : values[order[0]];
    int available = 0;
    while (available < d && largest > 0 && values[order[available]] > relativeTolerance * largest
        && values[order[available]] > Double.MIN_NORMAL) {
      available++;
    }
    int kept = Math.min(maxDims, available);
    double[][] w = new double[kept][];
    double[] variances = new double[kept];
    for (int r = 0; r < kept; r++) {
      double[] row = java.util.Arrays.copyOf(eigen.getEigenVector(order[r]).getData(), d);
      // An eigenvector's sign is arbitrary; fix it (largest |entry| positive) so that a refit on
      // the same data gives the same coordinates on every platform.
      int argmax = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(row[j]) > Math.abs(row[argmax])) {
          argmax = j;
        }
      }
      double scale = (row[argmax] < 0 ? -1 : 1) / Math.sqrt(values[order[r]]);
      for (int j = 0; j < d; j++) {
        row[j] *= scale;
      }
      w[r] = row;
      variances[r] = values[order[r]];
    }
    return new Whitening(mean.clone(), w, variances, total, available);
  }

  /**
   * The same whitening keeping only its first {@code p} directions (those of largest variance):
   * the coordinates are a prefix of this one's.
   */
  public Whitening prefix(int p) {
    if (p < 0 || p > projection.length) {
      throw new IllegalArgumentException("a prefix of " + p + " directions of a " + projection.length
          + "-direction whitening");
    }
    return new Whitening(mean, java.util.Arrays.copyOf(projection, p), java.util.Arrays.copyOf(keptVariances, p),
        totalVariance, available);
  }

  /** Directions with variance above the tolerance: the most this model could keep. */
  public int availableDims() {
    return available;
  }

  public int originalDim() {
    return mean.length;
  }

  public int reducedDim() {
    return projection.length;
  }

  /** Variance of the original vectors along each kept direction, largest first. */
  double[] keptVariances() {
    return keptVariances.clone();
  }

  /** Fraction of the total variance (trace of Σ) that the kept directions carry, in [0, 1]. */
  public double explainedVarianceRatio() {
    double kept = 0;
    for (double v : keptVariances) {
      kept += v;
    }
    return totalVariance > 0 ? Math.min(1.0, kept / totalVariance) : 0.0;
  }

  /** z = W (x − μ), written into {@code out} (length {@link #reducedDim()}). */
  public void apply(double[] x, double[] out) {
    apply(x, out, new double[mean.length]);
  }

  /** As {@link #apply(double[], double[])}, with a scratch array of {@link #originalDim()} values. */
  public void apply(double[] x, double[] out, double[] y) {
    int d = mean.length;
    if (x.length != d) {
      throw new IllegalArgumentException("vector has dimension " + x.length + ", expected " + d);
    }
    for (int j = 0; j < d; j++) {
      y[j] = x[j] - mean[j];
    }
    // Eight output coordinates at a time, then four: independent sums in flight instead of one
    // chain of dependent additions (eight per pass are 10-15 % faster than four at 7-16 directions:
    // each value of x is loaded once for twice the products). Each sum still adds its d products in
    // the same order, so every coordinate has the same bits as a plain dot product. The last group
    // of one to three coordinates runs the four-wide loop with rows of zeros for the missing ones (a
    // lone dot product waits on each addition: as slow per coordinate as four together), whose sums
    // are dropped.
    int p = projection.length;
    int r = 0;
    for (; r + 8 <= p; r += 8) {
      eight(y, d, r, out);
    }
    double[] zeros = zeroRow();
    for (; r < p; r += 4) {
      double[] w0 = projection[r];
      double[] w1 = r + 1 < p ? projection[r + 1] : zeros;
      double[] w2 = r + 2 < p ? projection[r + 2] : zeros;
      double[] w3 = r + 3 < p ? projection[r + 3] : zeros;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int j = 0; j < d; j++) {
        double v = y[j];
        s0 += w0[j] * v;
        s1 += w1[j] * v;
        s2 += w2[j] * v;
        s3 += w3[j] * v;
      }
      out[r] = s0;
      if (r + 3 < p) {
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
      } else if (r + 2 < p) {
        out[r + 1] = s1;
        out[r + 2] = s2;
      } else if (r + 1 < p) {
        out[r + 1] = s1;
      }
    }
  }

  /** Coordinates r … r + 7 of W y into {@code out}, each summed over j in order. */
  private void eight(double[] y, int d, int r, double[] out) {
    double[] w0 = projection[r];
    double[] w1 = projection[r + 1];
    double[] w2 = projection[r + 2];
    double[] w3 = projection[r + 3];
    double[] w4 = projection[r + 4];
    double[] w5 = projection[r + 5];
    double[] w6 = projection[r + 6];
    double[] w7 = projection[r + 7];
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    for (int j = 0; j < d; j++) {
      double v = y[j];
      s0 += w0[j] * v;
      s1 += w1[j] * v;
      s2 += w2[j] * v;
      s3 += w3[j] * v;
      s4 += w4[j] * v;
      s5 += w5[j] * v;
      s6 += w6[j] * v;
      s7 += w7[j] * v;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
    out[r + 4] = s4;
    out[r + 5] = s5;
    out[r + 6] = s6;
    out[r + 7] = s7;
  }

  /** A row of {@link #originalDim()} zeros, standing in for the directions past the last (made on first use). */
  private double[] zeroRow() {
    double[] z = zeros;
    if (z == null) {
      z = new double[mean.length];
      zeros = z;
    }
    return z;
  }

  /**
   * z = W (x − μ) for four rows at once, with the same bits as {@link #apply(double[], double[],
   * double[])} on each: every coordinate still adds its d products in the order of x's
   * coordinates, starting from 0. The sums run across the output coordinates instead of along a
   * dot product — z_k += (x_k[j] − μ[j]) · W[·][j] for each j — so the inner loop writes four
   * arrays at one index, which the JIT vectorises; and W is read once for four rows. Worth it
   * for wide outputs (hundreds of directions); for a handful, the dot products are as fast.
   *
   * @param x       four rows of {@link #originalDim()} values
   * @param out     four arrays of {@link #reducedDim()} values, overwritten
   * @param scratch four arrays of {@link #originalDim()} values, overwritten
   */
  void applyFour(double[][] x, double[][] out, double[][] scratch) {
    int d = mean.length;
    double[][] wt = columns;
    if (wt == null) {
      wt = new double[d][projection.length];
      for (int r = 0; r < projection.length; r++) {
        for (int j = 0; j < d; j++) {
          wt[j][r] = projection[r][j];
        }
      }
      columns = wt;
    }
    for (int k = 0; k < 4; k++) {
      if (x[k].length != d) {
        throw new IllegalArgumentException("vector has dimension " + x[k].length + ", expected " + d);
      }
      for (int j = 0; j < d; j++) {
        scratch[k][j] = x[k][j] - mean[j];
      }
      java.util.Arrays.fill(out[k], 0, projection.length, 0.0);
    }
    double[] y0 = scratch[0];
    double[] y1 = scratch[1];
    double[] y2 = scratch[2];
    double[] y3 = scratch[3];
    for (int j = 0; j < d; j++) {
      addScaled(out[0], out[1], out[2], out[3], y0[j], y1[j], y2[j], y3[j], wt[j]);
    }
  }

  private static void addScaled(double[] z0, double[] z1, double[] z2, double[] z3, double a0, double a1, double a2,
      double a3, double[] w) {
    for (int r = 0; r < w.length; r++) {
      double v = w[r];
      z0[r] += a0 * v;
      z1[r] += a1 * v;
      z2[r] += a2 * v;
      z3[r] += a3 * v;
    }
  }

  /** z = W (x − μ) as a new array. */
  public double[] apply(double[] x) {
    double[] out = new double[reducedDim()];
    apply(x, out);
    return out;
  }
}
