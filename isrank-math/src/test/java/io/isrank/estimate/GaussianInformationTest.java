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
  void ceilingIsTheInformationOfIdenticalModelsUnderTheFloor() {
    double floor = 1e-4;
    double[][] identical = {{1 + floor, 1}, {1, 1 + floor}};
    assertEquals(GaussianInformation.mutualInformation(identical, 1), GaussianInformation.ceilingPerDimension(floor),
        TOLERANCE);
    assertEquals(4.2586, GaussianInformation.ceilingPerDimension(floor), 1e-4);
  }
}
