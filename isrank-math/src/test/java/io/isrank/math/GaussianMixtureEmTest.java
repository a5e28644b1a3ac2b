package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianMixtureEmTest {
  /** Two well-separated 2-D clusters, 30% / 70%, drawn with known parameters. */
  private static double[][] twoClusters(int n, long seed) {
    double[][] a = Synthetic.sample(new double[] {-4, 0}, new double[][] {{1.0, 0.3}, {0.3, 0.5}}, (int) (0.3 * n), seed);
    double[][] b = Synthetic.sample(new double[] {3, 2}, new double[][] {{0.5, -0.2}, {-0.2, 1.5}}, n - a.length,
        seed + 1);
    double[][] x = new double[n][];
    // interleave so that no row order favours a cluster
    int ia = 0;
    int ib = 0;
    for (int i = 0; i < n; i++) {
      x[i] = (ia < a.length && (i % 10 < 3 || ib >= b.length)) ? a[ia++] : b[ib++];
    }
    return x;
  }

  @Test
  void recoversTheParametersOfSeparatedClusters() {
    double[][] x = twoClusters(6000, 1);
    GaussianMixtureEm.Fit fit = GaussianMixtureEm.fit(x, new GaussianMixtureEm.Settings(2, 200, 1e-6, 3, 1e-6, 9));
    Mixture m = fit.mixture().sortedByWeight();
    // With 1,800 and 4,200 rows the sampling error of a weight is about √(0.21/6000) = 0.006 and of
    // a mean coordinate about 1/√1800 = 0.024; tolerances are 5 of those.
    assertEquals(0.7, m.weight(0), 0.03);
    assertEquals(3.0, m.component(0).mean()[0], 0.12);
    assertEquals(2.0, m.component(0).mean()[1], 0.12);
    assertEquals(-4.0, m.component(1).mean()[0], 0.12);
    assertEquals(0.3, m.component(1).covariance()[0][1], 0.1);
    assertTrue(fit.converged());
  }

  @Test
  void likelihoodNeverDecreasesAcrossIterations() {
    double[][] x = twoClusters(2000, 3);
    double previous = Double.NEGATIVE_INFINITY;
    for (int iterations = 1; iterations <= 12; iterations++) {
      GaussianMixtureEm.Fit f = GaussianMixtureEm.fit(x, new GaussianMixtureEm.Settings(3, iterations, 0, 1, 1e-6, 4));
      // EM is monotone; 1e-9 relative slack for summation round-off.
      assertTrue(f.logLikelihood() >= previous - 1e-9 * Math.abs(previous), "iteration " + iterations);
      previous = f.logLikelihood();
    }
  }

  @Test
  void oneComponentIsTheSampleGaussianWithTheFloor() {
    double[][] x = Synthetic.sample(new double[] {1, 2, 3}, new double[][] {{2, 0.5, 0}, {0.5, 1, 0.2}, {0, 0.2, 3}},
        500, 5);
    GaussianMixtureEm.Fit f = GaussianMixtureEm.fit(x, new GaussianMixtureEm.Settings(1, 10, 1e-6, 1, 1e-3, 1));
    CovarianceSums sums = new CovarianceSums(new double[3]);
    for (double[] row : x) {
      sums.add(row);
    }
    double[][] unbiased = sums.covariance();
    double[][] fitted = f.mixture().component(0).covariance();
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        // EM's maximum-likelihood covariance divides by n, the sample covariance by n − 1.
        double expected = unbiased[a][b] * 499.0 / 500.0 + (a == b ? 1e-3 : 0);
        assertEquals(expected, fitted[a][b], 1e-10);
      }
    }
    assertEquals(0, f.iterations());
  }

  @Test
  void sameInputAndSeedGiveTheSameMixtureToTheLastBit() {
    double[][] x = twoClusters(1500, 7);
    GaussianMixtureEm.Settings s = new GaussianMixtureEm.Settings(3, 50, 1e-5, 2, 1e-4, 11);
    Mixture a = GaussianMixtureEm.fit(x, s).mixture();
    Mixture b = GaussianMixtureEm.fit(x, s).mixture();
    assertEquals(a.size(), b.size());
    for (int j = 0; j < a.size(); j++) {
      assertEquals(a.weight(j), b.weight(j), 0.0);
      assertTrue(Arrays.equals(a.component(j).mean(), b.component(j).mean()));
    }
  }

  @Test
  void choosingComponentsKeepsTwoForTwoClustersAndOneForAGaussian() {
    GaussianMixtureEm.Settings upToFour = new GaussianMixtureEm.Settings(4, 200, 1e-6, 2, 1e-6, 9);
    assertTrue(GaussianMixtureEm.fitChoosingComponents(twoClusters(3000, 2), upToFour).mixture().size() >= 2);
    double[][] gaussian = Synthetic.sample(new double[4], new double[][] {{1, 0.5, 0, 0}, {0.5, 1, 0, 0},
        {0, 0, 1, 0}, {0, 0, 0, 1}}, 3000, 4);
    // Extra components on Gaussian data only fit noise: held-out likelihood prefers one (or, by a
    // hair, two nearly identical) components; never the full four.
    assertTrue(GaussianMixtureEm.fitChoosingComponents(gaussian, upToFour).mixture().size() <= 2);
  }

  @Test
  void duplicatePointsCannotCollapseAComponent() {
    double[][] x = new double[400][];
    for (int i = 0; i < x.length; i++) {
      x[i] = i < 200 ? new double[] {0, 0} : new double[] {Math.sin(i), Math.cos(3.0 * i)};
    }
    GaussianMixtureEm.Fit f = GaussianMixtureEm.fit(x, new GaussianMixtureEm.Settings(2, 100, 1e-6, 2, 1e-4, 3));
    assertTrue(Double.isFinite(f.logLikelihood()));
    // 200 identical points: the best a component can do is the floor, so the log-density there is
    // bounded by log w − ½ log((2π)² ε²) = log ½ + log(1/(2π·1e-4)) ≈ 6.68 per row.
    assertTrue(f.mixture().logDensity(new double[] {0, 0}) < 7.0);
  }
}
