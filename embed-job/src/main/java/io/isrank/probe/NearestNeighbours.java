package io.isrank.probe;

/**
 * Leave-one-out k-nearest-neighbour classification by cosine similarity: each item is classified
 * by the labels of its k most similar other items (majority vote; a tied vote goes to the label
 * whose voters are more similar in total, then to the smaller label index). Rows must be unit
 * vectors (see {@link #normalise}), so the dot product is the cosine.
 */
final class NearestNeighbours {
  private NearestNeighbours() {}

  /** Scales each row to unit length in place; a zero row stays zero (similar to nothing). */
  public static void normalise(float[] rows, int d) {
    for (int off = 0; off < rows.length; off += d) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += (double) rows[off + j] * rows[off + j];
      }
      if (s > 0) {
        float inv = (float) (1 / Math.sqrt(s));
        for (int j = 0; j < d; j++) {
          rows[off + j] *= inv;
        }
      }
    }
  }

  /**
   * Counts the items in {@code [from, to)} whose leave-one-out kNN vote equals their label.
   *
   * @param rows n unit rows of dimension d, row-major
   * @param labels label index per row, 0..classes-1
   */
  public static long correct(float[] rows, int d, int[] labels, int classes, int k, int from, int to) {
    int n = labels.length;
    if (rows.length != (long) n * d) {
      throw new IllegalArgumentException(rows.length + " values for " + n + " rows of " + d);
    }
    if (k < 1 || k >= n) {
      throw new IllegalArgumentException("k = " + k + " needs 1 <= k < n = " + n);
    }
    int[] bestIndex = new int[k];
    float[] bestSim = new float[k];
    double[] votes = new double[classes];
    int[] counts = new int[classes];
    long right = 0;
    for (int q = from; q < to; q++) {
      int size = 0;
      int qo = q * d;
      for (int j = 0; j < n; j++) {
        if (j == q) {
          continue;
        }
        float s = dot(rows, qo, j * d, d);
        if (size < k || s > bestSim[k - 1]) {
          // insertion into the list sorted by descending similarity (dropping the last when full)
          int p = size < k ? size++ : k - 1;
          while (p > 0 && bestSim[p - 1] < s) {
            bestSim[p] = bestSim[p - 1];
            bestIndex[p] = bestIndex[p - 1];
            p--;
          }
          bestSim[p] = s;
          bestIndex[p] = j;
        }
      }
      java.util.Arrays.fill(votes, 0);
      java.util.Arrays.fill(counts, 0);
      for (int t = 0; t < size; t++) {
        int l = labels[bestIndex[t]];
        counts[l]++;
        votes[l] += bestSim[t];
      }
      int winner = 0;
      for (int c = 1; c < classes; c++) {
        if (counts[c] > counts[winner] || (counts[c] == counts[winner] && votes[c] > votes[winner])) {
          winner = c;
        }
      }
      if (winner == labels[q]) {
        right++;
      }
    }
    return right;
  }

  /** Dot product with four accumulators (lets the JIT pipeline the float adds). */
  static float dot(float[] x, int a, int b, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += x[a + j] * x[b + j];
      s1 += x[a + j + 1] * x[b + j + 1];
      s2 += x[a + j + 2] * x[b + j + 2];
      s3 += x[a + j + 3] * x[b + j + 3];
    }
    for (; j < d; j++) {
      s0 += x[a + j] * x[b + j];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
