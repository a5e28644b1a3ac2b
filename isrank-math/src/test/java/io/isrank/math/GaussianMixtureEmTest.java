package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.testkit.Synthetic;
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
    // Extra components on Gaussian data only fit noise: held-out likelihood prefers one (sample
    // and seed are fixed, so the choice is reproducible).
    assertEquals(1, GaussianMixtureEm.fitChoosingComponents(gaussian, upToFour).mixture().size());
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

  /** n rows of a d-dimensional Gaussian with a random covariance, row-major. */
  private static double[] gaussianRows(int n, int d, long seed) {
    double[][] q = Synthetic.orthogonal(d, seed);
    double[][] cov = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        for (int c = 0; c < d; c++) {
          cov[a][b] += q[a][c] * (0.1 + c) * q[b][c];
        }
      }
    }
    double[][] x = Synthetic.sample(new double[d], cov, n, seed + 1);
    double[] flat = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x[i], 0, flat, i * d, d);
    }
    return flat;
  }

  @Test
  void closedFormLogLikelihoodEqualsTheSumOverRows() {
    int d = 7;
    double[] x = gaussianRows(400, d, 21);
    GaussianMixtureEm.Data data = new GaussianMixtureEm.Data(x, d);
    // Any Gaussian, not only the data's own: the formula uses only the rows' count, mean and scatter.
    Gaussian g = EmSteps.single(new GaussianMixtureEm.Data(gaussianRows(300, d, 5), d), 1e-3).component(0);
    double direct = 0;
    for (int i = 0; i < 400; i++) {
      direct += g.logDensity(java.util.Arrays.copyOfRange(x, i * d, i * d + d));
    }
    assertEquals(direct, EmSteps.totalLogDensity(g, data), 1e-9 * Math.abs(direct));
  }

  @Test
  void pooledScatterEqualsTheScatterOfAllRows() {
    int d = 4;
    double[] x = gaussianRows(100, d, 8);
    GaussianMixtureEm.Data all = new GaussianMixtureEm.Data(x, d);
    GaussianMixtureEm.Data first = new GaussianMixtureEm.Data(java.util.Arrays.copyOfRange(x, 0, 30 * d), d);
    GaussianMixtureEm.Data second = new GaussianMixtureEm.Data(java.util.Arrays.copyOfRange(x, 30 * d, 100 * d), d);
    double[] pooled = EmSteps.pooledScatter(all.centre, first, second);
    double[] direct = all.scatter();
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        assertEquals(direct[a * d + b], pooled[a * d + b], 1e-9 * Math.abs(direct[a * d + a]));
      }
    }
  }

  @Test
  void aHopelessSecondComponentIsAbandonedEarly() {
    // On Gaussian data the k = 2 candidate cannot beat k = 1 on held-out rows; Aitken's
    // extrapolation of its held-out gains says so after a few iterations, long before EM would
    // reach its tolerance on the training rows.
    double[] x = gaussianRows(5000, 12, 31);
    GaussianMixtureEm.Settings s = new GaussianMixtureEm.Settings(2, 200, 1e-5, 1, 1e-4, 3);
    GaussianMixtureEm.Fit chosen = GaussianMixtureEm.fitChoosingComponents(x, 12, s);
    GaussianMixtureEm.Fit full = GaussianMixtureEm.fit(x, 12, s);
    assertEquals(1, chosen.mixture().size());
    assertTrue(chosen.work() < full.iterations() / 2, chosen.work() + " vs " + full.iterations());
  }

  @Test
  void findsTwoClustersHiddenInManyDimensions() {
    // 40% of the rows shifted by 12 along one random direction of a 24-dimensional Gaussian whose
    // variance along a random direction is about 11.6 (the mean of its eigenvalues 0.1 … 23.1), so
    // by about 3.5 standard deviations: a k-means++ seed alone tends to split off outliers, the
    // k-means start finds the shift, and held-out likelihood keeps the second component.
    int d = 24;
    int n = 6000;
    double[] x = gaussianRows(n, d, 41);
    double[] direction = Synthetic.orthogonal(d, 42)[0];
    java.util.SplittableRandom r = new java.util.SplittableRandom(43);
    int shifted = 0;
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < 0.4) {
        shifted++;
        for (int a = 0; a < d; a++) {
          x[i * d + a] += 12 * direction[a];
        }
      }
    }
    GaussianMixtureEm.Fit f = GaussianMixtureEm.fitChoosingComponents(x, d,
        new GaussianMixtureEm.Settings(2, 200, 1e-5, 2, 1e-4, 7));
    assertEquals(2, f.mixture().size());
    // The smaller cluster's weight is shifted/n ≈ 0.4; with clusters this far apart EM's weight
    // is within a few rows' worth of it (0.02 is generous: about 20 misassigned rows in 6,000
    // would already be visible as 0.003).
    assertEquals(shifted / (double) n, f.mixture().sortedByWeight().weight(1), 0.02);
  }

  @Test
  void aSecondComponentThatStartsSlowlyIsNotAbandoned() {
    // x·|x|^½ applied to every coordinate of a correlated Gaussian (8 + 8 dimensions): EM's two
    // components start on top of each other, gain little for a few iterations, then separate, and
    // end far above one Gaussian on held-out rows (about 0.2 nats per row here). An extrapolation
    // from the first gains alone called this candidate hopeless; it must survive to win.
    double[][] cov = Synthetic.signalCovariance(8, 8, Synthetic.correlationsFor(2.0, 4), 1.0, 77);
    double[][] rows = Synthetic.sample(new double[16], cov, 6000, 6);
    double[] x = new double[6000 * 16];
    for (int i = 0; i < 6000; i++) {
      for (int a = 0; a < 16; a++) {
        x[i * 16 + a] = Synthetic.Transform.POWER_1_5.apply(rows[i][a]);
      }
    }
    GaussianMixtureEm.Fit f = GaussianMixtureEm.fitChoosingComponents(x, 16,
        new GaussianMixtureEm.Settings(2, 100, 1e-4, 2, 1e-4, 42));
    assertEquals(2, f.mixture().size());
  }
}
