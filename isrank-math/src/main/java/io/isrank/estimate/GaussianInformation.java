package io.isrank.estimate;

import io.isrank.math.Gaussian;

/**
 * Closed forms for jointly Gaussian (U, V), the estimator's first correctness oracle. Nats.
 *
 * <p>I(U; V) = ½ log(det Σ_UU · det Σ_VV / det Σ) = −½ Σᵢ log(1 − ρᵢ²), ρᵢ the canonical
 * correlations.
 */
public final class GaussianInformation {
  private GaussianInformation() {}

  /** −½ Σᵢ log(1 − ρᵢ²); every |ρᵢ| must be < 1. */
  public static double fromCanonicalCorrelations(double... rho) {
    double mi = 0;
    for (double r : rho) {
      if (!(Math.abs(r) < 1)) {
        throw new IllegalArgumentException("canonical correlation must be in (-1, 1), got " + r);
      }
      mi += -0.5 * Math.log1p(-r * r);
    }
    return mi;
  }

  /**
   * ½ (log det Σ_UU + log det Σ_VV − log det Σ) for a joint covariance whose first
   * {@code sourceDim} coordinates are U and the rest V.
   */
  public static double mutualInformation(double[][] jointCovariance, int sourceDim) {
    int d = jointCovariance.length;
    if (sourceDim < 1 || sourceDim >= d) {
      throw new IllegalArgumentException("sourceDim must be in [1, " + (d - 1) + "], got " + sourceDim);
    }
    Gaussian joint = Gaussian.of(new double[d], jointCovariance);
    return 0.5 * (joint.marginal(0, sourceDim).logDeterminant()
        + joint.marginal(sourceDim, d).logDeterminant() - joint.logDeterminant());
  }

  /**
   * The mutual information between two blocks of a population covariance: the coordinates
   * [aFrom, aTo) and [bFrom, bTo) (disjoint), as {@link #mutualInformation} of their joint block.
   */
  public static double betweenBlocks(double[][] covariance, int aFrom, int aTo, int bFrom, int bTo) {
    int na = aTo - aFrom;
    int nb = bTo - bFrom;
    double[][] joint = new double[na + nb][na + nb];
    for (int i = 0; i < na + nb; i++) {
      int gi = i < na ? aFrom + i : bFrom + i - na;
      for (int j = 0; j < na + nb; j++) {
        joint[i][j] = covariance[gi][j < na ? aFrom + j : bFrom + j - na];
      }
    }
    return mutualInformation(joint, na);
  }

  /**
   * The resolution floor in nats per whitened dimension: the largest pointwise sufficiency a
   * covariance floor ε allows, reached by two identical whitened models (v = u, E[u²] = 1).
   * With a = (1 + ε)², the fitted conditional has slope 1/(1 + ε) and variance
   * σ² = (a − 1)/(1 + ε), so per dimension
   * <pre>
   *   s = ½ log(a / (a − 1)) + ½ / (1 + ε) − ½ ε² / ((1 + ε)(a − 1))
   * </pre>
   * (the first term is the mutual information of the floored Gaussian; the second appears because
   * identical data have no residual spread). IS(U→V) for V = U, or any invertible map of U, with p
   * reduced dimensions is about p times this, and no estimate exceeds it per dimension by more
   * than sampling noise. ε = 1e-4 gives 4.758 nats per dimension.
   */
  public static double ceilingPerDimension(double floor) {
    if (!(floor > 0)) {
      throw new IllegalArgumentException("floor must be > 0, got " + floor);
    }
    double e = floor;
    double a = (1 + e) * (1 + e);
    return 0.5 * Math.log(a / (a - 1)) + 0.5 / (1 + e) - 0.5 * e * e / ((1 + e) * (a - 1));
  }
}
