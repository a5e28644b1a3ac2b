package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.testkit.Synthetic;
import org.junit.jupiter.api.Test;

class CovarianceSumsTest {
  @Test
  void matchesTwoPassComputationAndMergesLikeOnePass() {
    double[][] rows = Synthetic.sample(new double[] {1000, -5, 3}, new double[][] {{4, 1, 0}, {1, 2, 0.5}, {0, 0.5, 1}},
        500, 3);
    CovarianceSums all = new CovarianceSums(new double[] {1000, 0, 0});
    CovarianceSums left = new CovarianceSums(new double[] {1000, 0, 0});
    CovarianceSums right = new CovarianceSums(new double[] {1000, 0, 0});
    for (int r = 0; r < rows.length; r++) {
      all.add(rows[r]);
      (r < 200 ? left : right).add(rows[r]);
    }
    double[] mean = new double[3];
    for (double[] row : rows) {
      for (int i = 0; i < 3; i++) {
        mean[i] += row[i] / rows.length;
      }
    }
    double[][] cov = new double[3][3];
    for (double[] row : rows) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (rows.length - 1);
        }
      }
    }
    // Round-off of sums over 500 rows of values ~1e3: 1e-9 is far above it, far below any error.
    assertArrayEquals(mean, all.mean(), 1e-9);
    double[][] merged = left.merge(right).covariance();
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(cov[i], all.covariance()[i], 1e-9);
      assertArrayEquals(all.covariance()[i], merged[i], 1e-9);
    }
    assertEquals(500, all.count());
  }

  @Test
  void bufferedRowsSurviveSerialisationAndMidStreamReads() throws Exception {
    // the sums of 45 rows are shipped between tasks (serialised) and read mid-stream, then grow further
    double[][] rows = Synthetic.sample(new double[] {1, 2}, new double[][] {{1, 0.3}, {0.3, 2}}, 90, 4);
    CovarianceSums direct = new CovarianceSums(new double[2]);
    CovarianceSums shipped = new CovarianceSums(new double[2]);
    for (int r = 0; r < 45; r++) {
      direct.add(rows[r]);
      shipped.add(rows[r]);
    }
    double[][] midway = direct.covariance(); // reading must not disturb what is added afterwards
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(shipped);
    }
    CovarianceSums received;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      received = (CovarianceSums) in.readObject();
    }
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(midway[i], received.covariance()[i], 1e-12);
    }
    for (int r = 45; r < 90; r++) {
      direct.add(rows[r]);
      received.add(rows[r]);
    }
    CovarianceSums once = new CovarianceSums(new double[2]);
    for (double[] row : rows) {
      once.add(row);
    }
    assertEquals(90, received.count());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(once.covariance()[i], direct.covariance()[i], 1e-12);
      assertArrayEquals(once.covariance()[i], received.covariance()[i], 1e-12);
    }
  }

  @Test
  void blocksOfRowsGiveTheSameCovarianceAsRowByRow() {
    // 4-row blocks plus a remainder of 3: equal to row-by-row sums up to rounding (1e-12 relative)
    java.util.Random random = new java.util.Random(5);
    int d = 7;
    int n = 23;
    double[] rows = new double[n * d];
    CovarianceSums single = new CovarianceSums(new double[d]);
    for (int r = 0; r < n; r++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) {
        x[i] = 3 + random.nextGaussian() * (i + 1);
        rows[r * d + i] = x[i];
      }
      single.add(x);
    }
    CovarianceSums blocked = new CovarianceSums(new double[d]);
    blocked.addRows(rows, n);
    assertEquals(single.count(), blocked.count());
    double[][] a = single.covariance();
    double[][] b = blocked.covariance();
    for (int i = 0; i < d; i++) {
      assertEquals(single.mean()[i], blocked.mean()[i], 1e-12 * Math.abs(single.mean()[i]));
      for (int j = 0; j < d; j++) {
        assertEquals(a[i][j], b[i][j], 1e-12 * (1 + Math.abs(a[i][j])));
      }
    }
  }

  @Test
  void roundedUpdateStaysWithinTheFloatSummationBound() {
    // d = 1,100 spans two tiles of the single-precision update (1,024 + 76 columns); 4·10 + 3 rows,
    // the last group padded with zero rows. Bound per entry: the rows rounded to float (2 roundings
    // per product), each product rounded (1) and N = 43 products summed in float (N − 1): at most
    // (N + 2)·2⁻²⁴·Σ|yᵢyⱼ| (Higham, recursive summation), against exact-enough double sums of the
    // unrounded rows. A row dropped or counted twice, or a tile written to the wrong entries, is off
    // by a whole product, hundreds of times the bound.
    java.util.Random random = new java.util.Random(13);
    int d = 1_100;
    int n = 43;
    double[] shift = new double[d];
    double[] rows = new double[n * d];
    for (int i = 0; i < d; i++) {
      shift[i] = 0.5 * (i % 5);
    }
    for (int k = 0; k < rows.length; k++) {
      rows[k] = shift[k % d] + random.nextGaussian() * (1 + k % 3);
    }
    CovarianceSums sums = new CovarianceSums(shift);
    sums.addRowsRounded(rows, n);
    assertEquals(n, sums.count());
    double bound = (n + 2) * 0x1.0p-24;
    for (int i = 0; i < d; i += 7) {
      for (int j = i; j < d; j++) {
        double exact = 0;
        double magnitude = 0;
        for (int r = 0; r < n; r++) {
          double p = (rows[r * d + i] - shift[i]) * (rows[r * d + j] - shift[j]);
          exact += p;
          magnitude += Math.abs(p);
        }
        assertEquals(exact, sums.product(i, j), bound * magnitude, "entry (" + i + ", " + j + ")");
      }
    }
    // the same rows in the same call give the same bits
    CovarianceSums again = new CovarianceSums(shift);
    again.addRowsRounded(rows, n);
    assertEquals(Double.doubleToLongBits(sums.product(3, 1_090)), Double.doubleToLongBits(again.product(3, 1_090)));
    assertEquals(Double.doubleToLongBits(sums.mean()[1_099]), Double.doubleToLongBits(again.mean()[1_099]));
  }

  @Test
  void segmentedUpdateAddsEachFourRowSumInRowOrderExactly() throws Exception {
    // d = 600 spans three tile segments (256 + 256 + 88); 4·10 rows
    // in groups plus a remainder of 3. The reference adds, for each element, the four-row sums in
    // row order, then the remainder one row at a time: the same additions in the same order, so the
    // result must be identical to the bit — the tiling changes nothing.
    java.util.Random random = new java.util.Random(11);
    int d = 600;
    int n = 43;
    double[] shift = new double[d];
    double[] rows = new double[n * d];
    for (int i = 0; i < d; i++) {
      shift[i] = 0.25 * i;
    }
    for (int k = 0; k < rows.length; k++) {
      rows[k] = shift[k % d] + random.nextGaussian() * (1 + k % 7);
    }
    double[][] ref = new double[d][d];
    double[] y = new double[n * d];
    for (int k = 0; k < y.length; k++) {
      y[k] = rows[k] - shift[k % d];
    }
    for (int g = 0; g + 4 <= n; g += 4) {
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          ref[i][j] += y[g * d + i] * y[g * d + j] + y[(g + 1) * d + i] * y[(g + 1) * d + j]
              + y[(g + 2) * d + i] * y[(g + 2) * d + j] + y[(g + 3) * d + i] * y[(g + 3) * d + j];
        }
      }
    }
    for (int r = n / 4 * 4; r < n; r++) {
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          ref[i][j] += y[r * d + i] * y[r * d + j];
        }
      }
    }
    CovarianceSums sums = new CovarianceSums(shift);
    sums.addRows(rows, n);
    double[] mean = sums.mean();
    double[][] cov = sums.covariance();
    double[] total = new double[d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        total[i] += y[r * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      double mi = total[i] / n;
      for (int j = i; j < d; j++) {
        double expected = (ref[i][j] - n * mi * (total[j] / n)) / (n - 1);
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(cov[i][j])) {
          assertEquals(expected, cov[i][j], 0.0, "entry (" + i + ", " + j + ")");
        }
      }
    }
    assertEquals(n, sums.count());
    assertEquals(shift[5] + total[5] / n, mean[5], 0.0);

    // shipped between tasks (serialised): the same sums to the bit, and they still merge
    CovarianceSums received = roundTrip(sums);
    assertEquals(n, received.count());
    double[][] after = received.covariance();
    for (int i = 0; i < d; i++) {
      assertArrayEquals(cov[i], after[i], 0.0, "row " + i);
    }
    received.merge(sums);
    assertEquals(2L * n, received.count());
  }

  private static CovarianceSums roundTrip(CovarianceSums sums) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(sums);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (CovarianceSums) in.readObject();
    }
  }
}
