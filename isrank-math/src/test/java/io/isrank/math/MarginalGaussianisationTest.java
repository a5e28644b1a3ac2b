package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.estimate.GaussianInformation;
import io.isrank.testkit.Synthetic;
import org.junit.jupiter.api.Test;

class MarginalGaussianisationTest {
  @Test
  void undoesAnIncreasingTransformOfAGaussian() {
    double[][] x = Synthetic.sample(new double[] {0}, new double[][] {{1}}, 20_000, 1);
    double[] cubed = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      cubed[i] = Synthetic.Transform.CUBE.apply(x[i][0]);
    }
    MarginalGaussianisation g = MarginalGaussianisation.fit(new double[][] {cubed.clone()}, 1024);
    double[] out = new double[1];
    double maxError = 0;
    for (double z : new double[] {-2, -1, -0.3, 0, 0.5, 1.5, 2.5}) {
      g.apply(new double[] {z * z * z}, out);
      maxError = Math.max(maxError, Math.abs(out[0] - z));
    }
    // The empirical quantile of 20,000 draws is off by about √(p(1−p)/n)/φ(z) ≤ 0.05 at |z| ≤ 2.5;
    // 0.08 leaves room for the interpolation between 1,024 knots.
    assertTrue(maxError < 0.08, "max error " + maxError);
  }

  @Test
  void restoresTheClosedFormForTheSingleGaussianOnTransformedData() {
    double[] rho = Synthetic.correlationsFor(1.0, 1);
    double[][] cov = Synthetic.canonicalCovariance(1, 1, rho);
    double[][] x = Synthetic.sample(new double[2], cov, 20_000, 3);
    double[][] columns = new double[2][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 2; j++) {
        x[i][j] = Synthetic.Transform.CUBE.apply(x[i][j]);
        columns[j][i] = x[i][j];
      }
    }
    MarginalGaussianisation g = MarginalGaussianisation.fit(columns, 1024);
    CovarianceSums raw = new CovarianceSums(new double[2]);
    CovarianceSums scored = new CovarianceSums(new double[2]);
    double[] z = new double[2];
    for (double[] row : x) {
      raw.add(row);
      g.apply(row, z);
      scored.add(z);
    }
    // MI 1 nat. On x³ the closed form sees the correlation of cubes, (9ρ + 6ρ³)/15 = 0.88 for
    // ρ = 0.93, i.e. 0.74 nats; on the normal scores all of it.
    // 0.03 nats is several standard errors of a correlation estimated from 20,000 pairs.
    assertEquals(1.0, GaussianInformation.mutualInformation(scored.covariance(), 1), 0.03);
    assertEquals(0.74, GaussianInformation.mutualInformation(raw.covariance(), 1), 0.03);
  }

  @Test
  void constantAndOutOfRangeValuesMapToFiniteScores() {
    MarginalGaussianisation g = MarginalGaussianisation.fit(new double[][] {{5, 5, 5, 5}, {1, 2, 3, 4}}, 16);
    double[] out = new double[2];
    g.apply(new double[] {5, 100}, out);
    assertEquals(0.0, out[0], 1e-12, "a constant coordinate maps to the middle score");
    assertTrue(Double.isFinite(out[1]) && out[1] > 1.0);
    g.apply(new double[] {5, -100}, out);
    assertEquals(-1.1503493803760079, out[1], 1e-9, "Φ⁻¹(0.5/4), the lowest knot's score");
  }
}
