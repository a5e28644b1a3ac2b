package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.testkit.Synthetic;
import org.junit.jupiter.api.Test;

class GaussianInformationTest {
  private static final double TOLERANCE = 1e-10;

  @Test
  void determinantFormEqualsCanonicalCorrelationForm() {
    double[][] cov = Synthetic.canonicalCovariance(3, 2, 0.9, 0.5);
    // −½ (log(1 − 0.81) + log(1 − 0.25)) = 0.974…
    assertEquals(-0.5 * (Math.log(0.19) + Math.log(0.75)), GaussianInformation.mutualInformation(cov, 3), TOLERANCE);
    assertEquals(GaussianInformation.fromCanonicalCorrelations(0.9, 0.5),
        GaussianInformation.mutualInformation(cov, 3), TOLERANCE);
  }

  @Test
  void invariantToInvertibleMapsOfEachBlock() {
    double[][] cov = Synthetic.canonicalCovariance(3, 2, 0.9, 0.5);
    double[][] mixed = Synthetic.mixBlocks(cov, 3, 11);
    assertEquals(GaussianInformation.mutualInformation(cov, 3), GaussianInformation.mutualInformation(mixed, 3), 1e-8);
  }

  @Test
  void calibrationCovariancesCarryTheChosenInformation() {
    double[] rho = Synthetic.correlationsFor(5.0, 4);
    assertEquals(5.0, GaussianInformation.fromCanonicalCorrelations(rho), TOLERANCE);
    // Scaling the correlated directions and rotating each block changes nothing: MI is invariant.
    double[][] cov = Synthetic.signalCovariance(6, 7, rho, 4.0, 3);
    assertEquals(5.0, GaussianInformation.mutualInformation(cov, 6), 1e-8);
  }

  @Test
  void embeddingLikeModelsShareAtMostTheirLatentInformation() {
    // U and V see the same 3 latent factors through noise σ: 0 < I(U;V) < I(U;z) = ½ log det(I + AᵀA/σ²).
    double[][] cov = Synthetic.embeddingLikeCovariance(3, 20, 30, 0.5, 1);
    double mi = GaussianInformation.mutualInformation(cov, 20);
    double[][] noiseless = Synthetic.embeddingLikeCovariance(3, 20, 30, 1e-3, 1);
    assertTrue(mi > 0.5 && mi < GaussianInformation.mutualInformation(noiseless, 20), "MI " + mi);
  }

  @Test
  void independentBlocksGiveZero() {
    assertEquals(0.0, GaussianInformation.mutualInformation(Synthetic.canonicalCovariance(2, 2), 2), TOLERANCE);
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
