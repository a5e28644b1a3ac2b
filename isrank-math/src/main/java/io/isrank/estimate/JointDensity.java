package io.isrank.estimate;

import io.isrank.math.Mixture;
import java.io.Serializable;

/**
 * The joint density p̂_AB of one unordered pair of models, fitted on [z_A; z_B], with its two
 * marginals read off its blocks (same weights, sub-blocks of means and covariances). One joint
 * fit serves both directions A→B and B→A.
 *
 * @param first  model index A (the first block)
 * @param second model index B
 */
public record JointDensity(int first, int second, Mixture joint, Mixture firstMarginal, Mixture secondMarginal)
    implements Serializable {

  /** Builds the pair's density and marginalises it: A occupies coordinates [0, dimA). */
  public static JointDensity of(int first, int second, Mixture joint, int firstDim) {
    if (firstDim < 1 || firstDim >= joint.dim()) {
      throw new IllegalArgumentException("first block dimension " + firstDim + " does not fit a joint of dimension "
          + joint.dim());
    }
    return new JointDensity(first, second, joint, joint.marginal(0, firstDim),
        joint.marginal(firstDim, joint.dim()));
  }
}
