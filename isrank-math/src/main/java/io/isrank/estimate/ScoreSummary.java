package io.isrank.estimate;

/**
 * The driver-side reading of the summed scores: IS, entropies and their standard errors, and the
 * bootstrap replicates, for the directions and models of a {@link ScoringPlan}.
 */
public final class ScoreSummary {
  private final ScoringPlan plan;
  private final double[] sums;

  public ScoreSummary(ScoringPlan plan, double[] sums) {
    if (sums.length != plan.stateSize()) {
      throw new IllegalArgumentException("sums have length " + sums.length + ", the plan needs " + plan.stateSize());
    }
    this.plan = plan;
    this.sums = sums.clone();
  }

  public long rows() {
    return (long) sums[0];
  }

  /** log p̂_V(v_i) over rows; h(V) = −mean, same standard error. */
  public Moments logMarginal(int model) {
    return new Moments(rows(), sums[plan.modelSumOffset() + model], sums[plan.modelSquareOffset() + model]);
  }

  /** Pointwise sufficiency s_i of direction i; IS = mean. */
  public Moments sufficiency(int direction) {
    int o = plan.directionOffset() + ScoringPlan.DIRECTION_SUMS * direction;
    return new Moments(rows(), sums[o], sums[o + 1]);
  }

  /** Pointwise log p̂(v | u) of direction i; h(V|U) = −mean. */
  public Moments logConditional(int direction) {
    int o = plan.directionOffset() + ScoringPlan.DIRECTION_SUMS * direction;
    return new Moments(rows(), sums[o + 2], sums[o + 3]);
  }

  /** The target's log-density as direction i's score used it; h(V) for the pairs table = −mean. */
  public Moments logTarget(int direction) {
    int o = plan.directionOffset() + ScoringPlan.DIRECTION_SUMS * direction;
    return new Moments(rows(), sums[o + 4], sums[o + 5]);
  }

  /** log p̂_AB(a, b) of pair p's joint over the held-out rows: its held-out log-likelihood. */
  public Moments logJoint(int pair) {
    int o = plan.pairOffset() + 2 * pair;
    return new Moments(rows(), sums[o], sums[o + 1]);
  }

  public int replicates() {
    return plan.bootstrapReplicates();
  }

  /** IS of direction i in bootstrap replicate r (the Poisson-weighted mean of s_i). */
  public double replicateSufficiency(int direction, int replicate) {
    double w = sums[plan.weightOffset() + replicate];
    return sums[plan.replicateDirectionOffset() + replicate * plan.directionCount() + direction] / w;
  }

  /** h(V) in bootstrap replicate r. */
  public double replicateEntropy(int model, int replicate) {
    double w = sums[plan.weightOffset() + replicate];
    return -sums[plan.replicateModelOffset() + replicate * plan.modelCount() + model] / w;
  }
}
