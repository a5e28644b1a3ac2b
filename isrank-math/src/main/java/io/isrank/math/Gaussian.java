package io.isrank.math;

import io.isrank.error.EstimationException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A multivariate normal density N(μ, Σ), immutable, with its Cholesky factor computed once.
 *
 * <p>log N(x; μ, Σ) = −½ (d·log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)), all in nats.
 */
public final class Gaussian implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double LOG_2PI = Math.log(2 * Math.PI);

  private final double[] mean;
  private final double[][] covariance;
  private final Cholesky cholesky;
  private final double logNormaliser;

  private Gaussian(double[] mean, double[][] covariance) {
    this.mean = mean;
    this.covariance = covariance;
    this.cholesky = Cholesky.of(covariance);
    this.logNormaliser = -0.5 * (mean.length * LOG_2PI + cholesky.logDeterminant());
  }

  /**
   * A Gaussian with the given mean and covariance (both copied). The covariance is symmetrised
   * as (Σ + Σᵀ)/2 so that round-off in a fitted matrix cannot make it asymmetric.
   *
   * @throws IllegalArgumentException if the sizes disagree or a value is not finite
   * @throws EstimationException      if Σ is not positive definite
   */
  public static Gaussian of(double[] mean, double[][] covariance) {
    return of(mean, covariance, 0.0);
  }

  /**
   * As {@link #of(double[], double[][])}, with {@code floor} added to the diagonal of Σ: the
   * covariance regularisation that bounds every density and so makes IS finite.
   */
  public static Gaussian of(double[] mean, double[][] covariance, double floor) {
    int d = mean.length;
    if (d == 0) {
      throw new IllegalArgumentException("a Gaussian needs dimension >= 1");
    }
    if (covariance.length != d) {
      throw new IllegalArgumentException("mean has dimension " + d + " but covariance has "
          + covariance.length + " rows");
    }
    if (!(floor >= 0) || !Double.isFinite(floor)) {
      throw new IllegalArgumentException("floor must be finite and >= 0, got " + floor);
    }
    double[][] cov = new double[d][d];
    for (int i = 0; i < d; i++) {
      if (covariance[i].length != d) {
        throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
            + " columns, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        double v = 0.5 * (covariance[i][j] + covariance[j][i]);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("covariance[" + i + "][" + j + "] is " + v);
        }
        cov[i][j] = v;
      }
      cov[i][i] += floor;
    }
    double[] mu = mean.clone();
    for (int i = 0; i < d; i++) {
      if (!Double.isFinite(mu[i])) {
        throw new IllegalArgumentException("mean[" + i + "] is " + mu[i]);
      }
    }
    return new Gaussian(mu, cov);
  }

  public int dim() {
    return mean.length;
  }

  /** A copy of μ. */
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of Σ (after the floor, if one was added). */
  public double[][] covariance() {
    double[][] copy = new double[covariance.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = covariance[i].clone();
    }
    return copy;
  }

  /** log det Σ. */
  public double logDeterminant() {
    return cholesky.logDeterminant();
  }

  /** Differential entropy h = ½ (d (1 + log 2π) + log det Σ), nats. */
  public double entropy() {
    return 0.5 * (dim() * (1 + LOG_2PI) + logDeterminant());
  }

  /** log N(x); allocates scratch space, so prefer {@link #logDensity(double[], double[], double[])} in loops. */
  public double logDensity(double[] x) {
    checkDim(x.length);
    return logDensity(x, null, new double[dim()]);
  }

  /**
   * log N([a; b]) for the concatenation of {@code a} and {@code b} ({@code b} null: x = a).
   *
   * @param work scratch array of length at least {@link #dim()}
   */
  public double logDensity(double[] a, double[] b, double[] work) {
    return logNormaliser - 0.5 * cholesky.mahalanobis(mean, a, b, work);
  }

  /** −½ (d·log 2π + log det Σ): the log-density at the mean. */
  double logNormaliser() {
    return logNormaliser;
  }

  /** L⁻¹ for Σ = L Lᵀ, row-major (see {@link Cholesky#inverse()}). */
  double[] inverseFactor() {
    return cholesky.inverse();
  }

  /** μ itself, not a copy: for kernels in this package that only read it. */
  double[] meanView() {
    return mean;
  }

  /**
   * The marginal density of coordinates {@code [from, to)}: for a Gaussian it is exact, the
   * sub-vector of μ and the sub-block of Σ.
   */
  public Gaussian marginal(int from, int to) {
    if (from < 0 || to > dim() || from >= to) {
      throw new IllegalArgumentException("block [" + from + ", " + to + ") is not inside [0, " + dim() + ")");
    }
    double[] m = Arrays.copyOfRange(mean, from, to);
    double[][] c = new double[to - from][];
    for (int i = from; i < to; i++) {
      c[i - from] = Arrays.copyOfRange(covariance[i], from, to);
    }
    return new Gaussian(m, c);
  }

  private void checkDim(int n) {
    if (n != dim()) {
      throw new IllegalArgumentException("point has dimension " + n + ", Gaussian has " + dim());
    }
  }
}
