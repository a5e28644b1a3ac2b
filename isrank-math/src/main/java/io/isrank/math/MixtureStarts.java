package io.isrank.math;

import io.isrank.math.GaussianMixtureEm.Data;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where EM starts: hard assignments of the rows to k clusters from k-means++ seeds refined by
 * Lloyd's k-means on an even sample of the rows; of several such clusterings the tightest wins.
 */
final class MixtureStarts {
  private MixtureStarts() {}

  /** Rounds of Lloyd's k-means after the k-means++ seeding, at most. */
  static final int LLOYD_ROUNDS = 10;

  /** Rows the starting centres are computed on, at most (an even stride through the data). */
  static final int START_SAMPLE = 2_000;

  /**
   * k-means++ seeds refined by up to {@link #LLOYD_ROUNDS} rounds of Lloyd's k-means (stopping
   * when no row changes cluster), both on an even sample of at most {@link #START_SAMPLE} rows;
   * of {@code restarts} such clusterings the one with the smallest within-cluster sum of squares
   * on the sample wins, and every row is assigned (hard) to its nearest centre; [component][row]. The seeding alone
   * often splits off a few far rows in high dimension; a few k-means rounds move the split to where
   * the data's clusters are. A sample places k centres about as well as all rows do, at a fraction
   * of the cost (n·k·d per round).
   */
  static double[][] initialResponsibilities(Data data, int k, int restarts, long seed) {
    int n = data.n;
    int d = data.d;
    int stride = (n + START_SAMPLE - 1) / START_SAMPLE;
    int m = (n + stride - 1) / stride;
    double[] x = new double[m * d];
    for (int i = 0; i < m; i++) {
      System.arraycopy(data.x, i * stride * d, x, i * d, d);
    }
    double[] best = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int r = 0; r < restarts; r++) {
      double[] centres = kMeans(x, m, d, k, new SplittableRandom(seed + 0x9E3779B97F4A7C15L * r));
      double inertia = 0;
      for (int i = 0; i < m; i++) {
        inertia += squaredDistance(x, i * d, centres, nearestCentre(x, i * d, centres, k, d) * d, d);
      }
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = centres;
      }
    }
    double[][] resp = new double[k][n];
    for (int i = 0; i < n; i++) {
      resp[nearestCentre(data.x, i * d, best, k, d)][i] = 1;
    }
    return resp;
  }

  /** k-means++ seeding and Lloyd rounds on m rows; returns the k centres. */
  private static double[] kMeans(double[] x, int m, int d, int k, SplittableRandom random) {
    double[] centres = new double[k * d];
    System.arraycopy(x, random.nextInt(m) * d, centres, 0, d);
    double[] nearest = new double[m];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < m; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(x, i * d, centres, (c - 1) * d, d));
        total += nearest[i];
      }
      int pick = m - 1;
      if (total > 0) {
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < m; i++) {
          cumulative += nearest[i];
          if (cumulative >= u) {
            pick = i;
            break;
          }
        }
      } else {
        pick = random.nextInt(m);
      }
      System.arraycopy(x, pick * d, centres, c * d, d);
    }
    int[] cluster = new int[m];
    Arrays.fill(cluster, -1);
    for (int round = 0; round < LLOYD_ROUNDS; round++) {
      boolean changed = false;
      for (int i = 0; i < m; i++) {
        int best = nearestCentre(x, i * d, centres, k, d);
        changed |= cluster[i] != best;
        cluster[i] = best;
      }
      if (!changed) {
        break;
      }
      double[] sums = new double[k * d];
      int[] counts = new int[k];
      for (int i = 0; i < m; i++) {
        int c = cluster[i];
        counts[c]++;
        for (int a = 0; a < d; a++) {
          sums[c * d + a] += x[i * d + a];
        }
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] > 0) { // an empty cluster keeps its centre
          for (int a = 0; a < d; a++) {
            centres[c * d + a] = sums[c * d + a] / counts[c];
          }
        }
      }
    }
    return centres;
  }

  private static int nearestCentre(double[] x, int offset, double[] centres, int k, int d) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double dist = squaredDistance(x, offset, centres, c * d, d);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = c;
      }
    }
    return best;
  }

  private static double squaredDistance(double[] x, int a, double[] y, int b, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      double t = x[a + i] - y[b + i];
      s += t * t;
    }
    return s;
  }
}
