package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MixtureTest {
  private static final Mixture TWO_D = Mixture.of(new double[] {0.3, 0.7}, new Gaussian[] {
      Gaussian.of(new double[] {-1, 0.5}, new double[][] {{0.5, 0.3}, {0.3, 1.2}}),
      Gaussian.of(new double[] {2, -1}, new double[][] {{1.0, -0.4}, {-0.4, 0.6}})});

  @Test
  void logDensityIsLogOfWeightedSum() {
    double[] x = {0.4, -0.2};
    double direct = Math.log(0.3 * Math.exp(TWO_D.component(0).logDensity(x))
        + 0.7 * Math.exp(TWO_D.component(1).logDensity(x)));
    assertEquals(direct, TWO_D.logDensity(x), 1e-12);
  }

  @Test
  void farTailsDoNotUnderflow() {
    // exp(log N) underflows to 0 here; log-sum-exp must still give a finite value.
    double value = TWO_D.logDensity(new double[] {60, -60});
    assertEquals(true, Double.isFinite(value));
  }

  @Test
  void weightsAreNormalised() {
    Mixture m = Mixture.of(new double[] {2, 6}, new Gaussian[] {TWO_D.component(0), TWO_D.component(1)});
    assertEquals(0.25, m.weight(0), 1e-15);
    assertEquals(0.75, m.weight(1), 1e-15);
  }

  /**
   * The block marginal must equal ∫ p(x, y) dy. Trapezoid rule on [−15, 15] with 30,001 points:
   * the integrand is smooth and its mass outside is below e^-80, so the quadrature error is far
   * below the 1e-9 relative tolerance.
   */
  @Test
  void marginalMatchesNumericalIntegration() {
    Mixture marginal = TWO_D.marginal(0, 1);
    for (double x : new double[] {-2.0, 0.0, 1.3, 3.5}) {
      int n = 30_001;
      double lo = -15;
      double h = 30.0 / (n - 1);
      double integral = 0;
      for (int i = 0; i < n; i++) {
        double y = lo + i * h;
        double f = Math.exp(TWO_D.logDensity(new double[] {x, y}));
        integral += (i == 0 || i == n - 1) ? f / 2 : f;
      }
      integral *= h;
      assertEquals(integral, Math.exp(marginal.logDensity(new double[] {x})), 1e-9 * integral);
    }
  }

  @Test
  void secondBlockMarginalKeepsWeights() {
    Mixture m = TWO_D.marginal(1, 2);
    assertEquals(0.7, m.weight(1), 1e-15);
    assertEquals(-1.0, m.component(1).mean()[0], 0.0);
    assertEquals(0.6, m.component(1).covariance()[0][0], 0.0);
  }

  @Test
  void sortedByWeightPutsHeaviestFirst() {
    Mixture s = TWO_D.sortedByWeight();
    assertEquals(0.7, s.weight(0), 1e-15);
    assertEquals(2.0, s.component(0).mean()[0], 0.0);
  }

  @Test
  void nonPositiveWeightIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> Mixture.of(new double[] {0.0, 1.0}, new Gaussian[] {TWO_D.component(0), TWO_D.component(1)}));
  }
}
