package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.testkit.Synthetic;
import org.junit.jupiter.api.Test;

class WhiteningTest {
  private static final double TOLERANCE = 1e-9;

  @Test
  void whitenedCovarianceIsIdentity() {
    double[][] cov = Synthetic.mixBlocks(Synthetic.canonicalCovariance(3, 3, 0.9, 0.5), 3, 7);
    Whitening w = Whitening.fit(new double[6], cov, 6, 1e-9);
    // W Σ Wᵀ = I: apply W to each column of Σ, then to the rows of the result.
    double[][] ws = new double[6][6];
    for (int j = 0; j < 6; j++) {
      double[] col = new double[6];
      for (int i = 0; i < 6; i++) {
        col[i] = cov[i][j];
      }
      double[] z = w.apply(col);
      for (int i = 0; i < 6; i++) {
        ws[i][j] = z[i];
      }
    }
    for (int i = 0; i < 6; i++) {
      double[] z = w.apply(ws[i]);
      for (int j = 0; j < 6; j++) {
        assertEquals(i == j ? 1.0 : 0.0, z[j], TOLERANCE);
      }
    }
  }

  @Test
  void keepsTheLargestDirectionsFirst() {
    double[][] cov = {{1, 0, 0}, {0, 9, 0}, {0, 0, 4}};
    Whitening w = Whitening.fit(new double[] {1, 1, 1}, cov, 2, 1e-9);
    assertEquals(2, w.reducedDim());
    assertEquals(9.0, w.keptVariances()[0], TOLERANCE);
    assertEquals(4.0, w.keptVariances()[1], TOLERANCE);
    assertEquals(13.0 / 14.0, w.explainedVarianceRatio(), TOLERANCE);
    // x − μ = (0, 3, 0) is 1 standard deviation along the top direction.
    double[] z = w.apply(new double[] {1, 4, 1});
    assertEquals(1.0, z[0], TOLERANCE);
    assertEquals(0.0, z[1], TOLERANCE);
  }

  @Test
  void dropsNearZeroVarianceDirections() {
    double[][] cov = {{1, 0, 0}, {0, 1e-14, 0}, {0, 0, 2}};
    Whitening w = Whitening.fit(new double[3], cov, 3, 1e-9);
    assertEquals(2, w.reducedDim());
  }

  @Test
  void zeroVarianceKeepsNothing() {
    Whitening w = Whitening.fit(new double[2], new double[2][2], 2, 1e-9);
    assertEquals(0, w.reducedDim());
  }

  @Test
  void fourRowsAtOnceGiveEachRowsCoordinatesToTheBit() {
    // Same products added in the same order as the one-row dot products: equal exactly, on a
    // width (37 of 50 directions) that leaves a remainder in any vector length.
    java.util.Random random = new java.util.Random(8);
    int d = 50;
    double[][] rows = new double[400][d];
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian() * (1 + j % 5) + 2;
      }
    }
    CovarianceSums sums = new CovarianceSums(new double[d]);
    for (double[] row : rows) {
      sums.add(row);
    }
    Whitening w = Whitening.fit(sums.mean(), sums.covariance(), 37, 1e-12);
    double[][] four = {rows[0], rows[1], rows[2], rows[3]};
    double[][] out = new double[4][w.reducedDim()];
    double[][] scratch = new double[4][d];
    for (int pass = 0; pass < 2; pass++) { // the second pass reuses the buffers
      w.applyFour(four, out, scratch);
      for (int k = 0; k < 4; k++) {
        double[] one = w.apply(four[k]);
        for (int r = 0; r < one.length; r++) {
          assertEquals(one[r], out[k][r], 0.0, "row " + k + ", direction " + r);
        }
      }
      four = new double[][] {rows[10], rows[20], rows[30], rows[40]};
    }
  }

  @Test
  void everyWidthGivesTheSameBitsOneRowAtATimeAsFourRowsAtOnce() {
    // The one-row pass groups the coordinates eight, then four at a time and the last one to three
    // together; the four-row pass runs across the coordinates. Both add each coordinate's d
    // products in the order of x's coordinates from 0, so they agree exactly — for every p up to
    // two groups of eight and every remainder of p mod 4.
    java.util.Random random = new java.util.Random(10);
    int d = 23;
    double[][] rows = new double[300][d];
    CovarianceSums sums = new CovarianceSums(new double[d]);
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian() * (1 + j % 4) + 0.5;
      }
      sums.add(row);
    }
    for (int p = 1; p <= 19; p++) {
      Whitening w = Whitening.fit(sums.mean(), sums.covariance(), p, 1e-12);
      double[][] four = {rows[1], rows[2], rows[3], rows[4]};
      double[][] out = new double[4][p];
      w.applyFour(four, out, new double[4][d]);
      for (int k = 0; k < 4; k++) {
        double[] one = new double[p];
        w.apply(four[k], one, new double[d]);
        assertArrayEquals(out[k], one, 0.0, "p " + p + ", row " + k);
      }
    }
  }

  @Test
  void aBatchGivesEachRowsCoordinatesToTheBitWhateverItsWidth() {
    // Narrow (6 directions: across the rows) and wide (40: four rows at a time) reductions, batches
    // of 64 rows and a remainder of 13: each row equal exactly to reducing it alone.
    java.util.Random random = new java.util.Random(9);
    int d = 48;
    double[][] rows = new double[141][d];
    CovarianceSums sums = new CovarianceSums(new double[d]);
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian() * (1 + j % 3) - 1;
      }
      sums.add(row);
    }
    for (int p : new int[] {6, 40}) {
      ModelReduction reduction = new ModelReduction(null,
          Whitening.fit(sums.mean(), sums.covariance(), p, 1e-12));
      ModelReduction.Batch batch = new ModelReduction.Batch(reduction);
      int from = 0;
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, batch.next(), 0, d);
        batch.added();
        if (batch.full() || r == rows.length - 1) {
          batch.reduce();
          for (int k = 0; k < batch.rows(); k++) {
            assertArrayEquals(reduction.apply(rows[from + k]), batch.out(k), 0.0, "p " + p + ", row " + (from + k));
          }
          from += batch.rows();
          batch.clear();
        }
      }
      assertEquals(rows.length, from);
    }
  }
}
