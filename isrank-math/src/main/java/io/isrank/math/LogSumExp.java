package io.isrank.math;

/** Numerically stable log Σ exp(xᵢ). */
public final class LogSumExp {
  private LogSumExp() {}

  /**
   * log Σᵢ exp(values[i]) over the first {@code n} values, computed as m + log Σ exp(xᵢ − m) with
   * m = max xᵢ so that no term overflows. Returns −∞ when every value is −∞.
   */
  public static double of(double[] values, int n) {
    return of(values, 0, 1, n);
  }

  /**
   * The same over {@code n} values at {@code offset}, {@code offset + stride}, … (a column of a
   * row-major block, or a run of a scratch array).
   */
  public static double of(double[] values, int offset, int stride, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0, at = offset; i < n; i++, at += stride) {
      max = Math.max(max, values[at]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int i = 0, at = offset; i < n; i++, at += stride) {
      sum += Math.exp(values[at] - max);
    }
    return max + Math.log(sum);
  }
}
