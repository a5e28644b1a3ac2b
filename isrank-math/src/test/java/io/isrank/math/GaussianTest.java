package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.isrank.error.EstimationException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class GaussianTest {
  /** Both sides are double-precision evaluations of the same formula by different routes. */
  private static final double TOLERANCE = 1e-10;

  private static final double[] MEAN = {0.5, -1.0, 2.0};
  private static final double[][] COV = {{2.0, 0.6, -0.3}, {0.6, 1.5, 0.2}, {-0.3, 0.2, 0.8}};

  /** The textbook density: −½ (d log 2π + log det Σ + (x−μ)ᵀ Σ⁻¹ (x−μ)) by LU inverse. */
  private static double directLogDensity(double[] mean, double[][] cov, double[] x) {
    RealMatrix c = new Array2DRowRealMatrix(cov);
    LUDecomposition lu = new LUDecomposition(c);
    RealMatrix inv = lu.getSolver().getInverse();
    int d = mean.length;
    double q = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q += (x[i] - mean[i]) * inv.getEntry(i, j) * (x[j] - mean[j]);
      }
    }
    return -0.5 * (d * Math.log(2 * Math.PI) + Math.log(lu.getDeterminant()) + q);
  }

  @Test
  void logDensityMatchesDirectComputation() {
    Gaussian g = Gaussian.of(MEAN, COV);
    for (double[] x : new double[][] {{0, 0, 0}, {0.5, -1, 2}, {3, 1, -2}, {-4, 4, 0.1}}) {
      assertEquals(directLogDensity(MEAN, COV, x), g.logDensity(x), TOLERANCE);
    }
  }

  @Test
  void concatenatedArgumentsEqualOneVector() {
    Gaussian g = Gaussian.of(MEAN, COV);
    double[] work = new double[3];
    assertEquals(g.logDensity(new double[] {1, 2, 3}), g.logDensity(new double[] {1}, new double[] {2, 3}, work), 0.0);
  }

  @Test
  void marginalIsTheSubBlock() {
    Gaussian g = Gaussian.of(MEAN, COV);
    Gaussian m = g.marginal(1, 3);
    double[] x = {0.3, 1.7};
    assertEquals(directLogDensity(new double[] {-1.0, 2.0}, new double[][] {{1.5, 0.2}, {0.2, 0.8}}, x),
        m.logDensity(x), TOLERANCE);
  }

  @Test
  void entropyOfStandardNormal() {
    // h(N(0, I_d)) = d/2 · (1 + log 2π)
    Gaussian g = Gaussian.of(new double[4], new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
    assertEquals(2 * (1 + Math.log(2 * Math.PI)), g.entropy(), TOLERANCE);
  }

  @Test
  void floorIsAddedToTheDiagonal() {
    Gaussian g = Gaussian.of(new double[2], new double[][] {{1, 1}, {1, 1}}, 0.5);
    assertEquals(1.5, g.covariance()[0][0], 0.0);
    assertEquals(1.0, g.covariance()[0][1], 0.0);
  }

  @Test
  void singularCovarianceIsAnEstimationError() {
    EstimationException e = assertThrows(EstimationException.class,
        () -> Gaussian.of(new double[2], new double[][] {{1, 1}, {1, 1}}));
    assertEquals(true, e.getMessage().contains("estimator.floor"));
  }

  @Test
  void mismatchedSizesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Gaussian.of(new double[2], new double[][] {{1}}));
  }
}
