package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CholeskyTest {
  @Test
  void solvingAllColumnsAtOnceGivesEachColumnsMahalanobisToTheBit() {
    // The all-columns solve does the same subtractions in the same order as the one-vector solve,
    // so the two must agree exactly, not just to rounding.
    Random random = new Random(3);
    int d = 37;
    int m = 53;
    double[][] a = new double[d][d];
    double[][] g = new double[d][d];
    for (double[] row : g) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          a[i][j] += g[i][k] * g[j][k];
        }
      }
      a[i][i] += 0.5;
    }
    Cholesky factor = Cholesky.of(a);
    double[][] b = new double[d][m];
    for (double[] row : b) {
      for (int j = 0; j < m; j++) {
        row[j] = random.nextGaussian() * 3;
      }
    }
    double[] norms = factor.squaredNormsOfSolves(b);
    double[] zero = new double[d];
    double[] work = new double[d];
    for (int j = 0; j < m; j++) {
      double[] column = new double[d];
      for (int i = 0; i < d; i++) {
        column[i] = b[i][j];
      }
      assertEquals(factor.mahalanobis(zero, column, null, work), norms[j], 0.0, "column " + j);
    }
  }
}
