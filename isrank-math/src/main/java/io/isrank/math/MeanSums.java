package io.isrank.math;

import java.io.Serializable;

/** Running count and sum of vectors, for a mean; mergeable across partitions. */
public final class MeanSums implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private final double[] sum;

  public MeanSums(int dim) {
    this.sum = new double[dim];
  }

  public void add(double[] x) {
    if (x.length != sum.length) {
      throw new IllegalArgumentException("vector has dimension " + x.length + ", expected " + sum.length);
    }
    for (int i = 0; i < x.length; i++) {
      sum[i] += x[i];
    }
    count++;
  }

  /** Adds another partition's sums into this one; returns this. */
  public MeanSums merge(MeanSums other) {
    if (other.sum.length != sum.length) {
      throw new IllegalArgumentException("cannot merge sums of dimensions " + sum.length + " and " + other.sum.length);
    }
    count += other.count;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    return this;
  }

  public long count() {
    return count;
  }

  public double[] mean() {
    if (count == 0) {
      throw new IllegalStateException("the mean of no vectors is undefined");
    }
    double[] m = new double[sum.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = sum[i] / count;
    }
    return m;
  }
}
