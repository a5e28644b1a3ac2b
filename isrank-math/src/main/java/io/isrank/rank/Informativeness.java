package io.isrank.rank;

/**
 * informativeness(U) = median over targets V ≠ U of IS(U→V) / norm(V) (DESIGN §1), with the mean
 * as secondary key and a percentile-bootstrap interval.
 */
public final class Informativeness {
  private Informativeness() {}

  /**
   * Scores one source model.
   *
   * @param model       the source's name
   * @param normalised  IS(model→V) / norm(V) for each target V
   * @param replicates  the same per bootstrap replicate, {@code replicates[r][v]}; null or empty
   *                    for no interval
   * @param confidence  interval coverage, e.g. 0.95 for the 2.5th and 97.5th percentiles of the
   *                    replicates' medians
   */
  public static ModelScore score(String model, double[] normalised, double[][] replicates, double confidence) {
    if (normalised.length == 0) {
      throw new IllegalArgumentException("model '" + model + "' has no targets to be measured against");
    }
    double median = Statistics.median(normalised);
    double mean = Statistics.mean(normalised);
    Double lower = null;
    Double upper = null;
    if (replicates != null && replicates.length > 0) {
      double[] medians = new double[replicates.length];
      for (int r = 0; r < replicates.length; r++) {
        medians[r] = Statistics.median(replicates[r]);
      }
      double alpha = (1 - confidence) / 2;
      lower = Statistics.percentile(medians, 100 * alpha);
      upper = Statistics.percentile(medians, 100 * (1 - alpha));
    }
    return new ModelScore(model, median, mean, lower, upper, normalised.length);
  }
}
