package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.math.TestData;
import org.junit.jupiter.api.Test;

class GaussianInformationTest {
  private static final double TOLERANCE = 1e-10;

  @Test
  void determinantFormEqualsCanonicalCorrelationForm() {
    double[][] cov = TestData.canonicalCovariance(3, 2, 0.9, 0.5);
    // −½ (log(1 − 0.81) + log(1 − 0.25)) = 0.974…
    assertEquals(-0.5 * (Math.log(0.19) + Math.log(0.75)), GaussianInformation.mutualInformation(cov, 3), TOLERANCE);
    assertEquals(GaussianInformation.fromCanonicalCorrelations(0.9, 0.5),
        GaussianInformation.mutualInformation(cov, 3), TOLERANCE);
  }

  @Test
  void invariantToInvertibleMapsOfEachBlock() {
    double[][] cov = TestData.canonicalCovariance(3, 2, 0.9, 0.5);
    double[][] mixed = TestData.mixBlocks(cov, 3, 11);
    assertEquals(GaussianInformation.mutualInformation(cov, 3), GaussianInformation.mutualInformation(mixed, 3), 1e-8);
  }

  @Test
  void independentBlocksGiveZero() {
    assertEquals(0.0, GaussianInformation.mutualInformation(TestData.canonicalCovariance(2, 2), 2), TOLERANCE);
  }

  @Test
  void ceilingIsTheSufficiencyOfIdenticalDataUnderTheFloor() {
    double floor = 1e-4;
    // The floored joint of a whitened model with itself, scored at a typical point u = v = 1
    // (E[u²] = 1), exactly as ScoreAccumulator scores a held-out row.
    io.isrank.math.Gaussian joint = io.isrank.math.Gaussian.of(new double[2], new double[][] {{1, 1}, {1, 1}}, floor);
    double[] x = {1.0, 1.0};
    double s = joint.logDensity(x) - joint.marginal(0, 1).logDensity(new double[] {1.0})
        - joint.marginal(1, 2).logDensity(new double[] {1.0});
    assertEquals(s, GaussianInformation.ceilingPerDimension(floor), 1e-9);
    assertEquals(4.758, GaussianInformation.ceilingPerDimension(floor), 1e-3);
    // It exceeds the floored Gaussian's mutual information by about ½ nat.
    double[][] floored = {{1 + floor, 1}, {1, 1 + floor}};
    assertEquals(0.5, GaussianInformation.ceilingPerDimension(floor)
        - GaussianInformation.mutualInformation(floored, 1), 1e-3);
  }
}
