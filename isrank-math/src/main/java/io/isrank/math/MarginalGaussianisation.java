package io.isrank.math;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Per-coordinate normal scores: x_j ↦ Φ⁻¹(F̂_j(x_j)), with F̂_j the empirical distribution of
 * coordinate j on the fit sample (linear between quantile knots). Each coordinate map is
 * increasing, so mutual information is unchanged (in the population limit), but coordinates that
 * are skewed or heavy-tailed — any increasing transform of a Gaussian, such as x³ or asinh x —
 * become Gaussian again, which is what the single-Gaussian estimator needs. This is the Gaussian
 * copula view of the data; dependence between coordinates is left to the estimator.
 *
 * <p>Knots sit at the plotting positions (i + ½)/n of the sorted fit values, at most
 * {@code maxKnots} per coordinate; values outside the fit range map to the extreme knots' scores.
 * Tied knots (a discrete or constant coordinate) map to the middle of their scores.
 */
public final class MarginalGaussianisation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[][] knots;
  private final double[][] scores;

  private MarginalGaussianisation(double[][] knots, double[][] scores) {
    this.knots = knots;
    this.scores = scores;
  }

  /**
   * Fits from per-coordinate samples.
   *
   * @param columns  {@code columns[j]} holds coordinate j's fit values (modified: sorted in place)
   * @param maxKnots the most knots kept per coordinate (≥ 2)
   */
  public static MarginalGaussianisation fit(double[][] columns, int maxKnots) {
    if (maxKnots < 2) {
      throw new IllegalArgumentException("maxKnots must be >= 2, got " + maxKnots);
    }
    NormalDistribution normal = new NormalDistribution(null, 0, 1);
    double[][] knots = new double[columns.length][];
    double[][] scores = new double[columns.length][];
    for (int j = 0; j < columns.length; j++) {
      double[] v = columns[j];
      int n = v.length;
      if (n < 2) {
        throw new IllegalArgumentException("coordinate " + j + " has " + n + " values; need at least 2");
      }
      Arrays.sort(v);
      int q = Math.min(n, maxKnots);
      knots[j] = new double[q];
      scores[j] = new double[q];
      for (int k = 0; k < q; k++) {
        // the order statistic at plotting position p = (i + ½)/n, for q evenly spread ranks i
        double rank = q == n ? k : k * (n - 1.0) / (q - 1.0);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(n - 1, lo + 1);
        double frac = rank - lo;
        knots[j][k] = v[lo] + frac * (v[hi] - v[lo]);
        scores[j][k] = normal.inverseCumulativeProbability((rank + 0.5) / n);
      }
    }
    return new MarginalGaussianisation(knots, scores);
  }

  public int dim() {
    return knots.length;
  }

  /** The normal scores of x, written into out (may be x itself). */
  public void apply(double[] x, double[] out) {
    if (x.length != knots.length) {
      throw new IllegalArgumentException("vector has dimension " + x.length + ", expected " + knots.length);
    }
    for (int j = 0; j < x.length; j++) {
      out[j] = score(knots[j], scores[j], x[j]);
    }
  }

  static double score(double[] knots, double[] scores, double x) {
    int n = knots.length;
    if (x <= knots[0]) {
      return x == knots[0] ? tied(knots, scores, 0, x) : scores[0];
    }
    if (x >= knots[n - 1]) {
      return x == knots[n - 1] ? tied(knots, scores, n - 1, x) : scores[n - 1];
    }
    int i = Arrays.binarySearch(knots, x);
    if (i >= 0) {
      return tied(knots, scores, i, x);
    }
    int hi = -i - 1;
    int lo = hi - 1;
    double t = (x - knots[lo]) / (knots[hi] - knots[lo]);
    return scores[lo] + t * (scores[hi] - scores[lo]);
  }

  /** The middle score of the run of knots equal to x around index i. */
  private static double tied(double[] knots, double[] scores, int i, double x) {
    int lo = i;
    int hi = i;
    while (lo > 0 && knots[lo - 1] == x) {
      lo--;
    }
    while (hi < knots.length - 1 && knots[hi + 1] == x) {
      hi++;
    }
    return 0.5 * (scores[lo] + scores[hi]);
  }
}
