package io.isrank.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestNeighboursTest {
  /** n items in c classes; class j sits around its own coordinate axis, with noise of size s. */
  private static float[] clusters(int n, int c, int d, double s, int[] labels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      labels[i] = i % c;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (s * r.nextGaussian() + (j == labels[i] ? 1 : 0));
      }
    }
    NearestNeighbours.normalise(x, d);
    return x;
  }

  @Test
  void separatedClustersAreClassifiedPerfectly() {
    int n = 300;
    int[] y = new int[n];
    float[] x = clusters(n, 3, 8, 0.05, y, 1);
    assertEquals(n, NearestNeighbours.correct(x, 8, y, 3, 5, 0, n));
  }

  @Test
  void labelsUnrelatedToTheDataScoreNearChance() {
    int n = 600;
    int[] y = new int[n];
    float[] x = clusters(n, 3, 8, 0.05, y, 2);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
    }
    double acc = NearestNeighbours.correct(x, 8, y, 3, 5, 0, n) / (double) n;
    // chance is 1/3; with n = 600 the binomial SD is sqrt(1/3 * 2/3 / 600) = 0.019, so 4 SD = 0.077
    assertTrue(Math.abs(acc - 1.0 / 3) < 0.077, "accuracy " + acc);
  }

  @Test
  void leavesTheQueryOutAndVotesByMajority() {
    // four points on a line of angles; the query 0 is nearest to 1 (label B) and then 2, 3 (label A)
    float[] x = new float[4 * 2];
    double[] angles = {0, 0.1, 0.25, 0.3};
    for (int i = 0; i < 4; i++) {
      x[2 * i] = (float) Math.cos(angles[i]);
      x[2 * i + 1] = (float) Math.sin(angles[i]);
    }
    int[] y = {0, 1, 0, 0};
    // k = 1: point 0's nearest other point is 1 (label 1): wrong; k = 3: votes 1, 0, 0 -> 0: right
    assertEquals(0, NearestNeighbours.correct(x, 2, y, 2, 1, 0, 1));
    assertEquals(1, NearestNeighbours.correct(x, 2, y, 2, 3, 0, 1));
    // a 1-1 tie with k = 2 goes to the more similar voter (point 1, label 1)
    assertEquals(0, NearestNeighbours.correct(x, 2, y, 2, 2, 0, 1));
  }

  @Test
  void blocksOfQueriesAddUpToTheWhole() {
    int n = 200;
    int[] y = new int[n];
    float[] x = clusters(n, 4, 6, 0.6, y, 4);
    long whole = NearestNeighbours.correct(x, 6, y, 4, 7, 0, n);
    long parts = NearestNeighbours.correct(x, 6, y, 4, 7, 0, 77) + NearestNeighbours.correct(x, 6, y, 4, 7, 77, n);
    assertEquals(whole, parts);
    assertTrue(whole < n, "noise 0.6 should cause some errors");
  }

  @Test
  void rejectsImpossibleK() {
    int[] y = new int[3];
    float[] x = new float[6];
    assertThrows(IllegalArgumentException.class, () -> NearestNeighbours.correct(x, 2, y, 1, 3, 0, 3));
  }
}
