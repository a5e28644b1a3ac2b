package io.isrank.rank;

/**
 * Informativeness against cost.
 *
 * <p><b>Efficiency.</b> For a model U with informativeness I(U) (the median over targets V of
 * the normalised IS(U→V)) and a cost C(U) &gt; 0, efficiency = max(I(U), 0) / C(U). The cost is
 * the <em>source's</em>: the ranking asks which model to deploy, and the model deployed is the
 * one whose embeddings must simulate the others; the targets are only the yardstick, so their
 * costs do not enter. Informativeness below zero (a model that simulates nothing, within noise)
 * counts as zero: a ratio of a negative number to a cost would reward the more expensive of two
 * useless models. A missing or non-positive cost gives no efficiency (null), never a made-up one.
 *
 * <p><b>Pareto front.</b> A model is on the front of informativeness vs a cost when no other
 * model with a known cost is at least as informative and at most as expensive, and strictly
 * better in one of the two. Models without that cost are not on the front (null).
 */
public final class CostAware {
  private CostAware() {}

  /** max(informativeness, 0) / cost, or null when the cost is unknown or not positive. */
  public static Double efficiency(double informativeness, Double cost) {
    if (cost == null || !(cost > 0) || !Double.isFinite(cost)) {
      return null;
    }
    return Math.max(informativeness, 0) / cost;
  }

  /**
   * @param informativeness per model
   * @param cost per model, null where unknown
   * @return per model: TRUE on the front, FALSE dominated, null when its cost is unknown
   */
  static Boolean[] paretoFront(double[] informativeness, Double[] cost) {
    int m = informativeness.length;
    Boolean[] front = new Boolean[m];
    for (int i = 0; i < m; i++) {
      if (cost[i] == null || !Double.isFinite(cost[i])) {
        continue;
      }
      boolean dominated = false;
      for (int j = 0; j < m && !dominated; j++) {
        if (j == i || cost[j] == null || !Double.isFinite(cost[j])) {
          continue;
        }
        boolean noWorse = cost[j] <= cost[i] && informativeness[j] >= informativeness[i];
        boolean better = cost[j] < cost[i] || informativeness[j] > informativeness[i];
        dominated = noWorse && better;
      }
      front[i] = !dominated;
    }
    return front;
  }

  /**
   * The model that dominates model i most clearly (the most informative of those that dominate
   * it; the cheaper on a tie), or -1 when i is on the front or its cost is unknown.
   */
  static int dominatedBy(double[] informativeness, Double[] cost, int i) {
    if (cost[i] == null || !Double.isFinite(cost[i])) {
      return -1;
    }
    int best = -1;
    for (int j = 0; j < informativeness.length; j++) {
      if (j == i || cost[j] == null || !Double.isFinite(cost[j])) {
        continue;
      }
      boolean noWorse = cost[j] <= cost[i] && informativeness[j] >= informativeness[i];
      boolean better = cost[j] < cost[i] || informativeness[j] > informativeness[i];
      if (noWorse && better && (best < 0 || informativeness[j] > informativeness[best]
          || (informativeness[j] == informativeness[best] && cost[j] < cost[best]))) {
        best = j;
      }
    }
    return best;
  }
}
