package io.isrank.rank;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/** Order statistics used by the ranking; inputs are never modified. */
public final class Statistics {
  private Statistics() {}

  /**
   * The median; for an even count, the mean of the two middle values (so ties between models are
   * possible and are shown as ties).
   */
  public static double median(double[] values) {
    requireNonEmpty(values);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  public static double mean(double[] values) {
    requireNonEmpty(values);
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /**
   * The q-th percentile (0 < q <= 100) with linear interpolation between order statistics
   * (Hyndman and Fan's type 7, R's default).
   */
  public static double percentile(double[] values, double q) {
    requireNonEmpty(values);
    return new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(values, q);
  }

  private static void requireNonEmpty(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
  }
}
