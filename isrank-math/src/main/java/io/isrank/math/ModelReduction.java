package io.isrank.math;

import java.io.Serializable;

/**
 * Everything applied to one model's embeddings before density estimation: optional per-coordinate
 * normal scores, then centring, projection on the top principal components and whitening.
 * Fitted on the fit sample, applied to every row.
 *
 * @param gaussianisation per-coordinate normal scores, or null when off
 * @param whitening       the PCA whitening (of the normal scores when those are on)
 */
public record ModelReduction(MarginalGaussianisation gaussianisation, Whitening whitening) implements Serializable {
  /** The same reduction keeping the first {@code p} whitened directions. */
  public ModelReduction prefix(int p) {
    return new ModelReduction(gaussianisation, whitening.prefix(p));
  }

  /** z for an embedding x (x is not modified). */
  public double[] apply(double[] x) {
    if (gaussianisation == null) {
      return whitening.apply(x);
    }
    double[] scores = new double[x.length];
    gaussianisation.apply(x, scores);
    return whitening.apply(scores);
  }

  /**
   * z for an embedding x into {@code out} ({@code p} values), with a scratch array of x's length:
   * no allocation per row when the normal scores are off. The same bits as {@link #apply(double[])}.
   */
  public void apply(double[] x, double[] out, double[] scratch) {
    if (gaussianisation == null) {
      whitening.apply(x, out, scratch);
    } else {
      System.arraycopy(apply(x), 0, out, 0, out.length);
    }
  }

  /**
   * Rows of one model reduced together, with the same bits as {@link #apply} on each row: wide
   * outputs four rows at a time ({@link Whitening#applyFour}), narrow ones one by one (tried: two
   * rows per pass, or vectorised across a transposed block, were no faster at 4–16 directions). Fill {@link #next()}, call {@link #added()}, and when
   * {@link #full()} (or at the end) {@link #reduce()} and read {@link #out(int)}.
   */
  public static final class Batch {
    /** Rows per batch. */
    public static final int ROWS = 16;

    private final ModelReduction reduction;
    private final double[][] x;
    private final double[][] z;
    private final boolean wide;
    private final double[][] scratch;
    private int rows;

    public Batch(ModelReduction reduction) {
      this.reduction = reduction;
      int d = reduction.whitening().originalDim();
      int p = reduction.whitening().reducedDim();
      x = new double[ROWS][d];
      z = new double[ROWS][p];
      wide = p >= Whitening.FOUR_ROWS_FROM_DIMS;
      scratch = new double[4][d];
    }

    /** The buffer for the next row's embedding (of the model's original dimension). */
    public double[] next() {
      return x[rows];
    }

    /** Counts the row just written into {@link #next()}; returns the rows held. */
    public int added() {
      return ++rows;
    }

    public boolean full() {
      return rows == ROWS;
    }

    public int rows() {
      return rows;
    }

    /** Reduces the rows held into {@link #out}; with normal scores on, their buffers are overwritten. */
    public void reduce() {
      MarginalGaussianisation g = reduction.gaussianisation();
      if (g != null) {
        for (int k = 0; k < rows; k++) {
          g.apply(x[k], x[k]);
        }
      }
      Whitening w = reduction.whitening();
      int k = 0;
      if (!wide) {
        for (; k < rows; k++) {
          w.apply(x[k], z[k], scratch[0]);
        }
        return;
      }
      double[][] four = new double[4][];
      double[][] outs = new double[4][];
      for (; k + 4 <= rows; k += 4) {
        for (int i = 0; i < 4; i++) {
          four[i] = x[k + i];
          outs[i] = z[k + i];
        }
        w.applyFour(four, outs, scratch);
      }
      for (; k < rows; k++) {
        w.apply(x[k], z[k], scratch[0]);
      }
    }

    /** Row k's reduced vector, after {@link #reduce()}; valid until the batch is refilled. */
    public double[] out(int k) {
      return z[k];
    }

    /** Empties the batch. */
    public void clear() {
      rows = 0;
    }
  }
}
