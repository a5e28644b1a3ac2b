package io.isrank.fit;

/**
 * The seed of each density's fit, derived from the run's seed and the models it covers: the same
 * for a density whichever engine fits it and whatever else the run fits, so adding a model or a
 * pair does not change the others' starts.
 */
final class FitSeeds {
  private FitSeeds() {}

  /** The seed of model m's marginal density. */
  public static long marginal(long seed, int m) {
    return seed + 7919L * (m + 1);
  }

  /** The seed of the joint density of models a and b. */
  public static long joint(long seed, int a, int b) {
    return seed + 104_729L * (a + 1) + 31L * (b + 1);
  }
}
