package io.isrank.math;

/** Numerically stable log Σ exp(xᵢ). */
public final class LogSumExp {
  private LogSumExp() {}

  /**
   * log Σᵢ exp(values[i]) over the first {@code n} values, computed as m + log Σ exp(xᵢ − m) with
   * m = max xᵢ so that no term overflows. Returns −∞ when every value is −∞.
   */
  public static double of(double[] values, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, values[i]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.exp(values[i] - max);
    }
    return max + Math.log(sum);
  }
}
