package io.isrank.estimate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The k items each direction simulates worst (lowest pointwise sufficiency
 * s_i = log p(v_i | u_i) − log p(v_i)) and best (highest), kept in bounded lists while a scoring
 * task streams its rows, then merged across tasks. Ties are broken by id, so the result does not
 * depend on how rows were partitioned. Memory: 2k entries per direction.
 */
public final class PointwiseExtremes implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One item of one direction. */
  public record Item(String id, double sufficiency) implements Serializable {}

  private final int k;
  private final double[][] lowValue;
  private final String[][] lowId;
  private final int[] lowSize;
  private final double[][] highValue;
  private final String[][] highId;
  private final int[] highSize;

  public PointwiseExtremes(int directions, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k = " + k);
    }
    this.k = k;
    lowValue = new double[directions][k];
    lowId = new String[directions][k];
    lowSize = new int[directions];
    highValue = new double[directions][k];
    highId = new String[directions][k];
    highSize = new int[directions];
  }

  /** Offers one item's value for a direction. */
  public void offer(int direction, String id, double s) {
    if (!Double.isFinite(s)) {
      return; // a non-finite density value is diagnosed elsewhere; it never enters an output table
    }
    lowSize[direction] = insert(lowValue[direction], lowId[direction], lowSize[direction], id, s, false);
    highSize[direction] = insert(highValue[direction], highId[direction], highSize[direction], id, s, true);
  }

  /** Adds another task's lists (the result is the same in any merge order). */
  public void merge(PointwiseExtremes other) {
    for (int d = 0; d < lowSize.length; d++) {
      for (int i = 0; i < other.lowSize[d]; i++) {
        lowSize[d] = insert(lowValue[d], lowId[d], lowSize[d], other.lowId[d][i], other.lowValue[d][i], false);
      }
      for (int i = 0; i < other.highSize[d]; i++) {
        highSize[d] = insert(highValue[d], highId[d], highSize[d], other.highId[d][i], other.highValue[d][i], true);
      }
    }
  }

  /** The worst-simulated items of a direction, lowest first. */
  public List<Item> worst(int direction) {
    return list(lowValue[direction], lowId[direction], lowSize[direction]);
  }

  /** The best-simulated items of a direction, highest first. */
  public List<Item> best(int direction) {
    return list(highValue[direction], highId[direction], highSize[direction]);
  }

  private static List<Item> list(double[] v, String[] id, int size) {
    List<Item> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new Item(id[i], v[i]));
    }
    return out;
  }

  /** "a comes before b" in the list's order: by value (descending for high), then by id. */
  private static boolean before(double va, String ia, double vb, String ib, boolean high) {
    if (va != vb) {
      return high ? va > vb : va < vb;
    }
    return ia.compareTo(ib) < 0;
  }

  private int insert(double[] v, String[] id, int size, String newId, double s, boolean high) {
    if (size == k && !before(s, newId, v[k - 1], id[k - 1], high)) {
      return size;
    }
    int p = size < k ? size++ : k - 1;
    while (p > 0 && before(s, newId, v[p - 1], id[p - 1], high)) {
      v[p] = v[p - 1];
      id[p] = id[p - 1];
      p--;
    }
    v[p] = s;
    id[p] = newId;
    return size;
  }
}
