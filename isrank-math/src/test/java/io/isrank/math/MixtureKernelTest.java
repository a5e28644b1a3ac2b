package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.testkit.Synthetic;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixtureKernelTest {
  /** A k-component mixture in d dimensions with random means and well-conditioned covariances. */
  private static Mixture randomMixture(int k, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] weights = new double[k];
    Gaussian[] components = new Gaussian[k];
    for (int j = 0; j < k; j++) {
      weights[j] = 0.5 + r.nextDouble();
      double[] mean = new double[d];
      for (int a = 0; a < d; a++) {
        mean[a] = 2 * r.nextGaussian();
      }
      double[][] q = Synthetic.orthogonal(d, seed * 31 + j);
      double[][] cov = new double[d][d];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          for (int c = 0; c < d; c++) {
            cov[a][b] += q[a][c] * (0.2 + c) * q[b][c];
          }
        }
      }
      components[j] = Gaussian.of(mean, cov);
    }
    return Mixture.of(weights, components);
  }

  private static double[] randomRows(int n, int width, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = 3 * r.nextGaussian();
    }
    return x;
  }

  @Test
  void blockLogDensitiesEqualThoseOfTheMixtureRowByRow() {
    // Dimensions on both sides of the 4-wide tiles (5, 7: partial tile; 8: whole tiles), one to
    // three components, and a row stride wider than the mixture so that the kernel reads a block
    // of a larger table from an offset.
    for (int d : new int[] {1, 5, 7, 8, 13}) {
      for (int k = 1; k <= 3; k++) {
        Mixture m = randomMixture(k, d, 10L * d + k);
        MixtureKernel kernel = MixtureKernel.of(m);
        int width = d + 3;
        int n = 23;
        double[] rows = randomRows(n, width, d + 100L * k);
        double[] out = new double[n + 2];
        kernel.logDensities(rows, 2, width, n, out, 1);
        for (int i = 0; i < n; i++) {
          double[] x = java.util.Arrays.copyOfRange(rows, 2 + i * width, 2 + i * width + d);
          double expected = m.logDensity(x);
          // Two exact algorithms in double precision; the log-densities are O(10–100), so 1e-12
          // relative is a few hundred ulps of room for the different summation orders.
          assertEquals(expected, out[1 + i], 1e-12 * Math.max(1, Math.abs(expected)), "d=" + d + " k=" + k + " row " + i);
        }
      }
    }
  }

  @Test
  void aRowGetsTheSameBitsInATileOfFourAsAlone() {
    // Scoring sums must not depend on how rows fall into blocks (partition sizes vary): the tiled
    // path and the one-row path must do the same arithmetic for a row.
    Mixture m = randomMixture(2, 10, 3);
    MixtureKernel kernel = MixtureKernel.of(m);
    double[] rows = randomRows(8, 10, 4);
    double[] together = new double[8];
    kernel.logDensities(rows, 0, 10, 8, together, 0);
    for (int i = 0; i < 8; i++) {
      double[] alone = new double[1];
      kernel.logDensities(rows, i * 10, 10, 1, alone, 0);
      assertEquals(together[i], alone[0], 0.0, "row " + i);
    }
  }

  @Test
  void componentTermsAreLogWeightPlusLogDensity() {
    Mixture m = randomMixture(3, 6, 9);
    MixtureKernel kernel = MixtureKernel.of(m);
    double[] rows = randomRows(5, 6, 10);
    double[][] terms = new double[3][5];
    kernel.componentLogTerms(rows, 0, 6, 5, terms, 0);
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 5; i++) {
        double expected = Math.log(m.weight(j)) + m.component(j).logDensity(java.util.Arrays.copyOfRange(rows, i * 6,
            i * 6 + 6));
        assertEquals(expected, terms[j][i], 1e-12 * Math.abs(expected));
      }
    }
  }
}
