package io.isrank.math;

import io.isrank.error.EstimationException;

/**
 * Cholesky factor of a symmetric positive-definite matrix, Σ = L·Lᵀ, with L lower triangular and
 * stored packed by rows (row i holds L[i][0..i] at offset i(i+1)/2).
 *
 * <p>It serves the hot path of scoring: {@link #mahalanobis} solves L·y = x − μ by forward
 * substitution and returns ‖y‖² = (x − μ)ᵀ Σ⁻¹ (x − μ) in d²/2 multiply-adds, with no allocation.
 */
final class Cholesky implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int dim;
  private final double[] lower;
  private final double[] inverseDiagonal;
  private final double logDeterminant;

  private Cholesky(int dim, double[] lower, double[] inverseDiagonal, double logDeterminant) {
    this.dim = dim;
    this.lower = lower;
    this.inverseDiagonal = inverseDiagonal;
    this.logDeterminant = logDeterminant;
  }

  /**
   * Factors {@code a} (only its lower triangle is read).
   *
   * @throws EstimationException if {@code a} is not numerically positive definite; the message
   *     gives the dimension and the pivot that failed
   */
  static Cholesky of(double[][] a) {
    int d = a.length;
    double[] l = new double[d * (d + 1) / 2];
    double[] invDiag = new double[d];
    double logDet = 0;
    for (int i = 0; i < d; i++) {
      int rowI = i * (i + 1) / 2;
      for (int j = 0; j <= i; j++) {
        int rowJ = j * (j + 1) / 2;
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[rowI + k] * l[rowJ + k];
        }
        if (i == j) {
          if (!(s > 0) || !Double.isFinite(s)) {
            throw new EstimationException("covariance of dimension " + d
                + " is not positive definite (pivot " + i + " = " + s
                + "); raise the covariance floor (estimator.floor) or reduce the dimension (reduce.dims)");
          }
          double root = Math.sqrt(s);
          l[rowI + i] = root;
          invDiag[i] = 1.0 / root;
          logDet += 2 * Math.log(root);
        } else {
          l[rowI + j] = s * invDiag[j];
        }
      }
    }
    return new Cholesky(d, l, invDiag, logDet);
  }

  int dim() {
    return dim;
  }

  /** log det Σ = 2 Σᵢ log Lᵢᵢ. */
  double logDeterminant() {
    return logDeterminant;
  }

  /**
   * L⁻¹ as a row-major d × d array (lower triangular: zero above the diagonal), by forward
   * substitution column by column, d³/6 multiply-adds.
   */
  double[] inverse() {
    double[] inv = new double[dim * dim];
    double[] column = new double[dim];
    for (int c = 0; c < dim; c++) {
      // solve L·w = e_c; w_b = 0 for b < c
      for (int i = c; i < dim; i++) {
        int row = i * (i + 1) / 2;
        double s = i == c ? 1.0 : 0.0;
        for (int k = c; k < i; k++) {
          s -= lower[row + k] * column[k];
        }
        column[i] = s * inverseDiagonal[i];
        inv[i * dim + c] = column[i];
      }
    }
    return inv;
  }

  /**
   * (x − μ)ᵀ Σ⁻¹ (x − μ) for x = [a; b] (b may be null when a alone has dimension d).
   *
   * @param work scratch space of length at least d, overwritten
   */
  double mahalanobis(double[] mean, double[] a, double[] b, double[] work) {
    int na = a.length;
    double sum = 0;
    for (int i = 0; i < dim; i++) {
      double xi = i < na ? a[i] : b[i - na];
      double s = xi - mean[i];
      int row = i * (i + 1) / 2;
      for (int k = 0; k < i; k++) {
        s -= lower[row + k] * work[k];
      }
      double y = s * inverseDiagonal[i];
      work[i] = y;
      sum += y * y;
    }
    return sum;
  }

  /**
   * For each column j of B (dim × m, given by rows), ‖L⁻¹ b_j‖² = b_jᵀ Σ⁻¹ b_j: the same
   * subtractions in the same order as {@link #mahalanobis} on each column with a zero mean, so the
   * same values, but the forward substitution runs over all columns at once — row i of the solution
   * minus L[i][k] times row k — which the JIT vectorises (one index into separate arrays).
   */
  double[] squaredNormsOfSolves(double[][] b) {
    if (b.length != dim) {
      throw new IllegalArgumentException("B has " + b.length + " rows, the factor has dimension " + dim);
    }
    int m = dim == 0 ? 0 : b[0].length;
    double[][] y = new double[dim][];
    double[] norms = new double[m];
    for (int i = 0; i < dim; i++) {
      double[] yi = b[i].clone();
      int row = i * (i + 1) / 2;
      for (int k = 0; k < i; k++) {
        subtractScaled(yi, lower[row + k], y[k]);
      }
      double inv = inverseDiagonal[i];
      for (int j = 0; j < m; j++) {
        double v = yi[j] * inv;
        yi[j] = v;
        norms[j] += v * v;
      }
      y[i] = yi;
    }
    return norms;
  }

  private static void subtractScaled(double[] target, double scale, double[] source) {
    for (int j = 0; j < target.length; j++) {
      target[j] -= scale * source[j];
    }
  }
}
