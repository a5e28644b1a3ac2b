package io.isrank.embed;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The top-k eigenvectors of a symmetric positive semi-definite operator Z (n × n) that is only
 * available as a product Q ↦ Z·Q — randomized subspace iteration with Rayleigh–Ritz (Halko,
 * Martinsson and Tropp 2011, algorithms 4.4 and 5.3). For a data matrix X, Z = XᵀX gives the
 * right singular vectors of X, and each product is one pass over the rows of X, so the
 * decomposition costs a handful of passes however wide X is.
 *
 * <p>With oversampling p and q iterations, the error in the k-th direction shrinks like
 * (σ_{k+p+1}/σ_k)^(2q+1); q = 6 and p = 16 are ample for text-like spectra.
 */
final class SubspaceIteration {
  private SubspaceIteration() {}

  /**
   * @param n the operator's size
   * @param k eigenvectors wanted (k &lt; n)
   * @param oversampling extra directions carried along (p)
   * @param iterations power iterations (q)
   * @param seed seed of the random start
   * @param times Z·Q for an n × l block Q (rows of Q are the n coordinates)
   * @return n × k matrix whose columns are the eigenvectors, by decreasing eigenvalue
   */
  public static double[][] topEigenvectors(int n, int k, int oversampling, int iterations, long seed,
      UnaryOperator<double[][]> times) {
    if (k < 1 || k >= n) {
      throw new IllegalArgumentException("k = " + k + " needs 1 <= k < n = " + n);
    }
    int l = Math.min(n, k + oversampling);
    SplittableRandom random = new SplittableRandom(seed);
    double[][] q = new double[n][l];
    for (double[] row : q) {
      for (int j = 0; j < l; j++) {
        row[j] = random.nextGaussian();
      }
    }
    q = orthonormal(q);
    for (int it = 0; it < iterations; it++) {
      q = orthonormal(times.apply(q));
    }
    RealMatrix qm = new Array2DRowRealMatrix(q, false);
    RealMatrix zq = new Array2DRowRealMatrix(times.apply(q), false);
    RealMatrix b = qm.transpose().multiply(zq);
    b = b.add(b.transpose()).scalarMultiply(0.5); // symmetric up to rounding
    EigenDecomposition eig = new EigenDecomposition(b);
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[l];
    for (int i = 0; i < l; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    RealMatrix vectors = eig.getV();
    double[][] out = new double[n][k];
    for (int c = 0; c < k; c++) {
      double[] u = vectors.getColumn(order[c]);
      // fix the sign so that the largest coordinate is positive: a deterministic basis
      double[] col = qm.operate(u);
      int arg = 0;
      for (int i = 1; i < n; i++) {
        if (Math.abs(col[i]) > Math.abs(col[arg])) {
          arg = i;
        }
      }
      double sign = col[arg] < 0 ? -1 : 1;
      for (int i = 0; i < n; i++) {
        out[i][c] = sign * col[i];
      }
    }
    return out;
  }

  /**
   * An orthonormal basis of the columns of a: modified Gram–Schmidt, run twice ("twice is
   * enough" for full working accuracy). A column that is numerically dependent on the previous
   * ones is replaced by zeros (it then contributes nothing).
   */
  static double[][] orthonormal(double[][] a) {
    int n = a.length;
    int l = a[0].length;
    double[][] cols = new double[l][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        cols[j][i] = a[i][j];
      }
    }
    for (int j = 0; j < l; j++) {
      double[] v = cols[j];
      double before = norm(v);
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < j; p++) {
          double[] u = cols[p];
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += u[i] * v[i];
          }
          for (int i = 0; i < n; i++) {
            v[i] -= dot * u[i];
          }
        }
      }
      double after = norm(v);
      double scale = after > 1e-12 * Math.max(before, Double.MIN_NORMAL) ? 1 / after : 0;
      for (int i = 0; i < n; i++) {
        v[i] *= scale;
      }
    }
    double[][] out = new double[n][l];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        out[i][j] = cols[j][i];
      }
    }
    return out;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
