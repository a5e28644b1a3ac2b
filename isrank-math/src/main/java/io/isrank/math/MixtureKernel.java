package io.isrank.math;

/**
 * A {@link Mixture} prepared for evaluation over blocks of rows: the batched log-density kernel
 * that EM's E-step and the scoring pass run on.
 *
 * <p>For each component the Cholesky factor Σ = L Lᵀ is inverted once, so that
 * <pre>
 *   log N(x; μ, Σ) = log N(μ; μ, Σ) − ½ ‖y‖²,   y = L⁻¹x − L⁻¹μ,
 * </pre>
 * and y for a block of rows is the product of the rows with (L⁻¹)ᵀ: a triangular matrix product,
 * computed in register tiles of four rows × four coordinates of y (sixteen independent running
 * sums, each loaded value used four times). That is about three times as fast per row as forward
 * substitution, which is a chain of dependent operations. A row's arithmetic is the same whether
 * it is evaluated in a tile of four or alone, so results do not depend on how rows are blocked.
 *
 * <p>Rows are read from a flat row-major array: row r's d coordinates are
 * {@code data[offset + r·stride + 0 … d−1]}, so a kernel can evaluate a block of a wider table
 * (a pair's first model inside the pair's concatenated rows) without copying it.
 *
 * <p>Not thread-safe (it owns its scratch space): one per task or thread.
 */
public final class MixtureKernel {
  /** Rows per internal block; bounds the scratch space. */
  static final int BLOCK = 256;

  private final int dim;
  private final int size;
  private final double[][] inverse;
  private final double[][] shift;
  private final double[] logConstant;
  private final double[] terms;

  private MixtureKernel(Mixture mixture) {
    this.dim = mixture.dim();
    this.size = mixture.size();
    this.inverse = new double[size][];
    this.shift = new double[size][];
    this.logConstant = new double[size];
    for (int j = 0; j < size; j++) {
      Gaussian g = mixture.component(j);
      double[] w = g.inverseFactor();
      double[] mu = g.meanView();
      double[] c = new double[dim];
      for (int b = 0; b < dim; b++) {
        double s = 0;
        for (int a = 0; a <= b; a++) {
          s += w[b * dim + a] * mu[a];
        }
        c[b] = -s;
      }
      inverse[j] = w;
      shift[j] = c;
      logConstant[j] = Math.log(mixture.weight(j)) + g.logNormaliser();
    }
    this.terms = new double[size * BLOCK];
  }

  public static MixtureKernel of(Mixture mixture) {
    return new MixtureKernel(mixture);
  }

  public int dim() {
    return dim;
  }

  public int size() {
    return size;
  }

  /**
   * log p(x_r) for {@code count} rows into {@code out[outOffset + r]}, by log-sum-exp over the
   * components.
   */
  public void logDensities(double[] data, int offset, int stride, int count, double[] out, int outOffset) {
    if (size == 1) {
      quadratic(0, data, offset, stride, count, out, outOffset);
      double c = logConstant[0];
      for (int r = 0; r < count; r++) {
        out[outOffset + r] = c - 0.5 * out[outOffset + r];
      }
      return;
    }
    for (int start = 0; start < count; start += BLOCK) {
      int n = Math.min(BLOCK, count - start);
      int rowOffset = offset + start * stride;
      for (int j = 0; j < size; j++) {
        quadratic(j, data, rowOffset, stride, n, terms, j * BLOCK);
      }
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < size; j++) {
          terms[j * BLOCK + r] = logConstant[j] - 0.5 * terms[j * BLOCK + r];
        }
        out[outOffset + start + r] = LogSumExp.of(terms, r, BLOCK, size);
      }
    }
  }

  /**
   * log(w_j N(x_r; μ_j, Σ_j)) for every component j into {@code terms[j][termOffset + r]}: what
   * the E-step turns into responsibilities.
   */
  void componentLogTerms(double[] data, int offset, int stride, int count, double[][] terms, int termOffset) {
    for (int j = 0; j < size; j++) {
      double[] t = terms[j];
      quadratic(j, data, offset, stride, count, t, termOffset);
      double c = logConstant[j];
      for (int r = 0; r < count; r++) {
        t[termOffset + r] = c - 0.5 * t[termOffset + r];
      }
    }
  }

  /**
   * ‖L_j⁻¹x_r − L_j⁻¹μ_j‖² into {@code out[outOffset + r]}: y in tiles of four coordinates (the
   * triangle's zeros inside a tile are multiplied like the other entries, which keeps every
   * row's arithmetic identical in both paths), then one coordinate at a time for the last d mod 4.
   */
  private void quadratic(int j, double[] data, int offset, int stride, int count, double[] out, int outOffset) {
    final int d = dim;
    final int tiled = d - d % 4;
    final double[] w = inverse[j];
    final double[] c = shift[j];
    int r = 0;
    for (; r + 4 <= count; r += 4) {
      final int o0 = offset + r * stride;
      final int o1 = o0 + stride;
      final int o2 = o1 + stride;
      final int o3 = o2 + stride;
      double q0 = 0;
      double q1 = 0;
      double q2 = 0;
      double q3 = 0;
      for (int b = 0; b < tiled; b += 4) {
        final int w0 = b * d;
        final int w1 = w0 + d;
        final int w2 = w1 + d;
        final int w3 = w2 + d;
        double y00 = c[b];
        double y01 = c[b + 1];
        double y02 = c[b + 2];
        double y03 = c[b + 3];
        double y10 = y00;
        double y11 = y01;
        double y12 = y02;
        double y13 = y03;
        double y20 = y00;
        double y21 = y01;
        double y22 = y02;
        double y23 = y03;
        double y30 = y00;
        double y31 = y01;
        double y32 = y02;
        double y33 = y03;
        final int end = b + 4;
        for (int a = 0; a < end; a++) {
          double x0 = data[o0 + a];
          double x1 = data[o1 + a];
          double x2 = data[o2 + a];
          double x3 = data[o3 + a];
          double v0 = w[w0 + a];
          double v1 = w[w1 + a];
          double v2 = w[w2 + a];
          double v3 = w[w3 + a];
          y00 += x0 * v0;
          y01 += x0 * v1;
          y02 += x0 * v2;
          y03 += x0 * v3;
          y10 += x1 * v0;
          y11 += x1 * v1;
          y12 += x1 * v2;
          y13 += x1 * v3;
          y20 += x2 * v0;
          y21 += x2 * v1;
          y22 += x2 * v2;
          y23 += x2 * v3;
          y30 += x3 * v0;
          y31 += x3 * v1;
          y32 += x3 * v2;
          y33 += x3 * v3;
        }
        q0 += y00 * y00 + y01 * y01 + y02 * y02 + y03 * y03;
        q1 += y10 * y10 + y11 * y11 + y12 * y12 + y13 * y13;
        q2 += y20 * y20 + y21 * y21 + y22 * y22 + y23 * y23;
        q3 += y30 * y30 + y31 * y31 + y32 * y32 + y33 * y33;
      }
      for (int b = tiled; b < d; b++) {
        final int wb = b * d;
        double y0 = c[b];
        double y1 = y0;
        double y2 = y0;
        double y3 = y0;
        for (int a = 0; a <= b; a++) {
          double v = w[wb + a];
          y0 += data[o0 + a] * v;
          y1 += data[o1 + a] * v;
          y2 += data[o2 + a] * v;
          y3 += data[o3 + a] * v;
        }
        q0 += y0 * y0;
        q1 += y1 * y1;
        q2 += y2 * y2;
        q3 += y3 * y3;
      }
      out[outOffset + r] = q0;
      out[outOffset + r + 1] = q1;
      out[outOffset + r + 2] = q2;
      out[outOffset + r + 3] = q3;
    }
    for (; r < count; r++) {
      final int o = offset + r * stride;
      double q = 0;
      for (int b = 0; b < tiled; b += 4) {
        final int w0 = b * d;
        final int w1 = w0 + d;
        final int w2 = w1 + d;
        final int w3 = w2 + d;
        double y0 = c[b];
        double y1 = c[b + 1];
        double y2 = c[b + 2];
        double y3 = c[b + 3];
        final int end = b + 4;
        for (int a = 0; a < end; a++) {
          double x = data[o + a];
          y0 += x * w[w0 + a];
          y1 += x * w[w1 + a];
          y2 += x * w[w2 + a];
          y3 += x * w[w3 + a];
        }
        q += y0 * y0 + y1 * y1 + y2 * y2 + y3 * y3;
      }
      for (int b = tiled; b < d; b++) {
        final int wb = b * d;
        double y = c[b];
        for (int a = 0; a <= b; a++) {
          y += data[o + a] * w[wb + a];
        }
        q += y * y;
      }
      out[outOffset + r] = q;
    }
  }
}
