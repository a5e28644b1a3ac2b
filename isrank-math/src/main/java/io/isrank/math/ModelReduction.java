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
   * z for four embeddings at once ({@link Whitening#applyFour}): the same bits as {@link #apply}
   * on each. With normal scores on, {@code x} is overwritten by them.
   */
  public void applyFour(double[][] x, double[][] out, double[][] scratch) {
    if (gaussianisation != null) {
      for (int k = 0; k < 4; k++) {
        gaussianisation.apply(x[k], x[k]);
      }
    }
    whitening.applyFour(x, out, scratch);
  }
}
