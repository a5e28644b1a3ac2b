package io.isrank.estimate;

/**
 * Count, sum and sum of squares of a sample, and what follows from them: the mean and its
 * standard error √(s²/n) with the unbiased variance s² = (Σx² − n·x̄²)/(n − 1).
 */
public record Moments(long count, double sum, double sumOfSquares) {

  public Moments {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
  }

  public double mean() {
    if (count == 0) {
      throw new IllegalStateException("the mean of an empty sample is undefined");
    }
    return sum / count;
  }

  /** Unbiased sample variance, clamped at 0 against round-off; 0 for fewer than two values. */
  public double variance() {
    if (count < 2) {
      return 0.0;
    }
    double m = sum / count;
    return Math.max(0.0, (sumOfSquares - count * m * m) / (count - 1));
  }

  /** Standard error of the mean, √(variance / n). */
  public double standardError() {
    return count == 0 ? 0.0 : Math.sqrt(variance() / count);
  }
}
