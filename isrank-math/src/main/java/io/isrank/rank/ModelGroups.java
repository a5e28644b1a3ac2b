package io.isrank.rank;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups of models that carry similar information: average-linkage agglomerative clustering on a
 * similarity matrix (here the symmetrised normalised IS), cut where the dendrogram's merge
 * similarity drops the most. Average linkage merges at non-increasing similarities, so the
 * largest drop separates "merging models that share information" from "merging unrelated
 * groups". When no drop stands out — every merge similarity within {@code minGap} of the
 * previous — all models form one group.
 */
public final class ModelGroups {
  private ModelGroups() {}

  /**
   * @param similarity symmetric m × m matrix (diagonal ignored); NaN entries are not allowed
   * @param minGap the smallest drop in merge similarity that counts as a boundary
   * @return a group number per model, 0, 1, ... in order of each group's first member
   */
  public static int[] groups(double[][] similarity, double minGap) {
    int m = similarity.length;
    if (m == 0) {
      return new int[0];
    }
    if (m == 1) {
      return new int[] {0};
    }
    // record the merges, then replay them up to the cut
    int[][] merges = new int[m - 1][];
    double[] heights = new double[m - 1];
    List<List<Integer>> work = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      work.add(new ArrayList<>(List.of(i)));
    }
    for (int step = 0; step < m - 1; step++) {
      int bestA = -1;
      int bestB = -1;
      double best = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < work.size(); a++) {
        for (int b = a + 1; b < work.size(); b++) {
          double s = linkage(similarity, work.get(a), work.get(b));
          if (s > best) {
            best = s;
            bestA = a;
            bestB = b;
          }
        }
      }
      merges[step] = new int[] {work.get(bestA).get(0), work.get(bestB).get(0)};
      heights[step] = best;
      work.get(bestA).addAll(work.get(bestB));
      work.remove(bestB);
    }
    int cut = m - 1; // number of merges to apply
    double largest = minGap;
    for (int step = 0; step + 1 < m - 1; step++) {
      double drop = heights[step] - heights[step + 1];
      if (drop > largest) {
        largest = drop;
        cut = step + 1;
      }
    }
    if (heights[0] < minGap) {
      cut = 0; // not even the most similar pair shares information: every model stands alone
    }
    // union-find replay of the first `cut` merges
    int[] parent = new int[m];
    for (int i = 0; i < m; i++) {
      parent[i] = i;
    }
    for (int step = 0; step < cut; step++) {
      parent[find(parent, merges[step][0])] = find(parent, merges[step][1]);
    }
    int[] group = new int[m];
    int[] label = new int[m];
    java.util.Arrays.fill(label, -1);
    int next = 0;
    for (int i = 0; i < m; i++) {
      int root = find(parent, i);
      if (label[root] < 0) {
        label[root] = next++;
      }
      group[i] = label[root];
    }
    return group;
  }

  private static double linkage(double[][] s, List<Integer> a, List<Integer> b) {
    double sum = 0;
    for (int i : a) {
      for (int j : b) {
        sum += s[i][j];
      }
    }
    return sum / (a.size() * b.size());
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
