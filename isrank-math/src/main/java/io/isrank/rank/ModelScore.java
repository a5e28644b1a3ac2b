package io.isrank.rank;

/**
 * One model's informativeness before ranking.
 *
 * @param model           the model's name
 * @param informativeness median over targets of normalised IS(model→target)
 * @param mean            mean over targets of normalised IS, the documented tie-breaker
 * @param lower           lower end of its interval, or null when no bootstrap was run
 * @param upper           upper end of its interval, or null
 * @param targets         how many targets the median is over
 */
public record ModelScore(String model, double informativeness, double mean, Double lower, Double upper, int targets) {
  public ModelScore {
    if (!Double.isFinite(informativeness) || !Double.isFinite(mean)) {
      throw new IllegalArgumentException("model '" + model + "' has a non-finite score: informativeness "
          + informativeness + ", mean " + mean);
    }
  }
}
