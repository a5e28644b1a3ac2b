package io.isrank.math;

import java.util.Random;

/** Known-truth test data: jointly Gaussian pairs with chosen canonical correlations. */
public final class TestData {
  private TestData() {}

  /**
   * Covariance of [U; V] with identity blocks and canonical correlations rho on the diagonal of
   * the cross block: Σ = [[I, R], [Rᵀ, I]], R = diag(ρ) padded with zeros.
   */
  public static double[][] canonicalCovariance(int sourceDim, int targetDim, double... rho) {
    int d = sourceDim + targetDim;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      c[i][i] = 1;
    }
    for (int i = 0; i < rho.length; i++) {
      c[i][sourceDim + i] = rho[i];
      c[sourceDim + i][i] = rho[i];
    }
    return c;
  }

  /**
   * The same joint covariance after invertible linear maps of each block, x ↦ diag(A, B)·x with A
   * and B random (well conditioned: identity plus small noise). MI is unchanged.
   */
  public static double[][] mixBlocks(double[][] cov, int sourceDim, long seed) {
    int d = cov.length;
    Random random = new Random(seed);
    double[][] t = new double[d][d];
    for (int i = 0; i < d; i++) {
      boolean iSource = i < sourceDim;
      for (int j = 0; j < d; j++) {
        if ((j < sourceDim) == iSource) {
          t[i][j] = (i == j ? 2.0 : 0.0) + 0.5 * random.nextGaussian();
        }
      }
    }
    double[][] tc = multiply(t, cov);
    return multiply(tc, transpose(t));
  }

  /** n draws from N(mean, cov), one per row. */
  public static double[][] sample(double[] mean, double[][] cov, int n, long seed) {
    int d = mean.length;
    double[][] l = cholesky(cov);
    Random random = new Random(seed);
    double[][] rows = new double[n][d];
    double[] e = new double[d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        e[i] = random.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double s = mean[i];
        for (int k = 0; k <= i; k++) {
          s += l[i][k] * e[k];
        }
        rows[r][i] = s;
      }
    }
    return rows;
  }

  /** A plain Cholesky, written independently of the production one. */
  public static double[][] cholesky(double[][] a) {
    int d = a.length;
    double[][] l = new double[d][d];
    for (int j = 0; j < d; j++) {
      double s = a[j][j];
      for (int k = 0; k < j; k++) {
        s -= l[j][k] * l[j][k];
      }
      l[j][j] = Math.sqrt(s);
      for (int i = j + 1; i < d; i++) {
        double t = a[i][j];
        for (int k = 0; k < j; k++) {
          t -= l[i][k] * l[j][k];
        }
        l[i][j] = t / l[j][j];
      }
    }
    return l;
  }

  public static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        double aik = a[i][k];
        for (int j = 0; j < m; j++) {
          c[i][j] += aik * b[k][j];
        }
      }
    }
    return c;
  }

  public static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }
}
