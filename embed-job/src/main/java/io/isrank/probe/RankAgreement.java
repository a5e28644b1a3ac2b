package io.isrank.probe;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well two scorings of the same models agree: Spearman's rho (Pearson correlation of the
 * ranks, ties given their mean rank) and Kendall's tau-b (concordant minus discordant pairs,
 * corrected for ties), from commons-math3. Both are +1 for the same order and -1 for the reverse.
 *
 * @param spearman Spearman's rank correlation
 * @param kendall Kendall's tau-b
 * @param models how many models were compared
 */
record RankAgreement(double spearman, double kendall, int models) {

  /**
   * Compares two scores per model (higher = better in both, or lower = better in both).
   *
   * @throws IllegalArgumentException with fewer than 3 models, different lengths, non-finite
   *     values, or a constant scoring (whose correlation is undefined)
   */
  public static RankAgreement of(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("scores for " + a.length + " and " + b.length + " models");
    }
    if (a.length < 3) {
      throw new IllegalArgumentException("rank correlation needs at least 3 models, got " + a.length);
    }
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
        throw new IllegalArgumentException("score " + i + " is not finite");
      }
    }
    if (constant(a) || constant(b)) {
      throw new IllegalArgumentException("a scoring gives every model the same value; its rank correlation is undefined");
    }
    return new RankAgreement(new SpearmansCorrelation().correlation(a, b),
        new KendallsCorrelation().correlation(a, b), a.length);
  }

  private static boolean constant(double[] x) {
    for (double v : x) {
      if (v != x[0]) {
        return false;
      }
    }
    return true;
  }
}
