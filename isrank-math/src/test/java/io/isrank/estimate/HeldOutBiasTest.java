package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.math.CovarianceSums;
import io.isrank.math.Gaussian;
import io.isrank.math.Mixture;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The held-out bias of fitted Gaussians: closed form against simulation and known limits. No Spark. */
class HeldOutBiasTest {
  @Test
  void oneDimensionIsParametersOverTwoN() {
    // 2 parameters (mean, variance): the classic (parameters)/(2n) to first order
    assertEquals(1.0 / 10_000, HeldOutBias.gaussian(1, 10_000), 1e-7);
  }

  @Test
  void growsLikeDSquaredOverFourN() {
    // d(d+3)/2 parameters; to first order in d/n the bias is (parameters)/(2n) = d(d+3)/(4n)
    double b = HeldOutBias.gaussian(32, 1_000_000);
    assertEquals(32 * 35 / 4e6, b, 0.01 * b);
    // far from first order when d/n is not small: 256 dims on 5,000 rows
    double big = HeldOutBias.gaussian(256, 5_000);
    assertTrue(big > 1.05 * 256 * 259 / 2e4, "the exact form exceeds the first-order term: " + big);
  }

  @Test
  void matchesSimulation() {
    // Fit N(x̄, S) on n rows of N(0, I_d), score fresh rows, average the excess over h = ½ d log 2πe.
    // 400 fits × 200 test rows: the Monte Carlo standard error of the mean excess is about 0.02 of
    // the 0.47-nat bias here; 5 standard errors is the tolerance.
    int d = 12;
    int n = 60;
    SplittableRandom random = new SplittableRandom(11);
    double truth = 0.5 * d * Math.log(2 * Math.PI * Math.E);
    double sum = 0;
    double sumSq = 0;
    int fits = 400;
    for (int f = 0; f < fits; f++) {
      CovarianceSums s = new CovarianceSums(new double[d]);
      for (int i = 0; i < n; i++) {
        s.add(normal(random, d));
      }
      Gaussian g = Gaussian.of(s.mean(), s.covariance());
      double excess = 0;
      for (int t = 0; t < 200; t++) {
        excess += -g.logDensity(normal(random, d)) - truth;
      }
      excess /= 200;
      sum += excess;
      sumSq += excess * excess;
    }
    double mean = sum / fits;
    double se = Math.sqrt((sumSq / fits - mean * mean) / fits);
    double expected = HeldOutBias.gaussian(d, n);
    assertEquals(expected, mean, 5 * se, "closed form " + expected + ", simulated " + mean + " ± " + se);
  }

  @Test
  void aOneComponentMixtureIsTheGaussian() {
    Gaussian g = Gaussian.of(new double[4], identity(4));
    assertEquals(HeldOutBias.gaussian(4, 500), HeldOutBias.of(Mixture.single(g), 500), 0);
    Mixture two = Mixture.of(new double[] {0.5, 0.5}, new Gaussian[] {g, g});
    assertEquals(HeldOutBias.gaussian(4, 250) + 1 / 1000.0, HeldOutBias.of(two, 500), 1e-12);
  }

  @Test
  void needsMoreRowsThanDimensionsPlusTwo() {
    assertThrows(IllegalArgumentException.class, () -> HeldOutBias.gaussian(10, 12));
    assertTrue(Double.isFinite(HeldOutBias.gaussian(10, 13)));
  }

  private static double[] normal(SplittableRandom r, int d) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      x[i] = gaussian(r);
    }
    return x;
  }

  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  private static double[][] identity(int d) {
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      m[i][i] = 1;
    }
    return m;
  }
}
