package io.isrank.estimate;

import io.isrank.math.Mixture;
import java.io.Serializable;
import java.util.List;

/**
 * Everything one scoring pass evaluates on each held-out row: the marginal density of every
 * target model, the joint density of every pair that a requested direction needs, and the
 * directions themselves. Immutable and serializable: it is broadcast to the executors once.
 *
 * <p>It also fixes the layout of the per-partition sums that {@link ScoreAccumulator} fills and
 * {@link ScoreSummary} reads, so the two always agree.
 */
public final class ScoringPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] dims;
  private final Mixture[] marginals;
  private final JointDensity[] pairs;
  private final Direction[] directions;
  private final int bootstrapReplicates;
  private final boolean targetFromJoint;

  /**
   * @param dims                reduced dimension of each model (the length of its z vector)
   * @param marginals           marginal density per model; null for a model that is no target
   * @param pairs               joint densities
   * @param directions          the directions to score; each names its pair
   * @param bootstrapReplicates Poisson-bootstrap replicates B (0: none)
   * @param targetFromJoint     take log p̂_V(v) in the pointwise score from the V-block of the pair's
   *                            joint instead of V's own marginal (see {@link ScoreAccumulator})
   */
  public ScoringPlan(int[] dims, Mixture[] marginals, List<JointDensity> pairs, List<Direction> directions,
      int bootstrapReplicates, boolean targetFromJoint) {
    if (dims.length != marginals.length) {
      throw new IllegalArgumentException(dims.length + " model dimensions but " + marginals.length + " marginals");
    }
    if (bootstrapReplicates < 0) {
      throw new IllegalArgumentException("bootstrap replicates must be >= 0, got " + bootstrapReplicates);
    }
    this.dims = dims.clone();
    this.marginals = marginals.clone();
    this.pairs = pairs.toArray(new JointDensity[0]);
    this.directions = directions.toArray(new Direction[0]);
    this.bootstrapReplicates = bootstrapReplicates;
    this.targetFromJoint = targetFromJoint;
    for (int m = 0; m < dims.length; m++) {
      if (marginals[m] != null && marginals[m].dim() != dims[m]) {
        throw new IllegalArgumentException("marginal of model " + m + " has dimension " + marginals[m].dim()
            + ", the model has " + dims[m]);
      }
    }
    for (JointDensity p : this.pairs) {
      if (p.joint().dim() != dims[p.first()] + dims[p.second()]) {
        throw new IllegalArgumentException("joint of models " + p.first() + " and " + p.second()
            + " has dimension " + p.joint().dim() + ", expected " + (dims[p.first()] + dims[p.second()]));
      }
    }
    for (Direction d : this.directions) {
      JointDensity p = this.pairs[d.pair()];
      int first = d.sourceFirst() ? d.source() : d.target();
      int second = d.sourceFirst() ? d.target() : d.source();
      if (p.first() != first || p.second() != second) {
        throw new IllegalArgumentException("direction " + d + " does not match pair (" + p.first() + ", "
            + p.second() + ")");
      }
      if (this.marginals[d.target()] == null) {
        throw new IllegalArgumentException("direction " + d + " needs the marginal of model " + d.target());
      }
    }
  }

  public int modelCount() {
    return dims.length;
  }

  public int dim(int model) {
    return dims[model];
  }

  Mixture marginal(int model) {
    return marginals[model];
  }

  int pairCount() {
    return pairs.length;
  }

  public JointDensity pair(int i) {
    return pairs[i];
  }

  public int directionCount() {
    return directions.length;
  }

  public Direction direction(int i) {
    return directions[i];
  }

  int bootstrapReplicates() {
    return bootstrapReplicates;
  }

  public boolean targetFromJoint() {
    return targetFromJoint;
  }

  // Layout of the sums: [rows | Σ log p_m | Σ (log p_m)² | per direction Σ s, Σ s², Σ c, Σ c², Σ t, Σ t² |
  //   per pair Σ log p_AB, Σ (log p_AB)² |
  //   per replicate Σ w | per replicate and model Σ w·log p_m | per replicate and direction Σ w·s]
  // with s the pointwise sufficiency, c = log p̂(v | u) the pointwise conditional log-density and
  // t = log p̂_V(v) the target's log-density as the score used it.

  /** Sums kept per direction. */
  static final int DIRECTION_SUMS = 6;

  int modelSumOffset() {
    return 1;
  }

  int modelSquareOffset() {
    return 1 + dims.length;
  }

  int directionOffset() {
    return 1 + 2 * dims.length;
  }

  int pairOffset() {
    return directionOffset() + DIRECTION_SUMS * directions.length;
  }

  int weightOffset() {
    return pairOffset() + 2 * pairs.length;
  }

  int replicateModelOffset() {
    return weightOffset() + bootstrapReplicates;
  }

  int replicateDirectionOffset() {
    return replicateModelOffset() + bootstrapReplicates * dims.length;
  }

  /** Length of the sums array. */
  public int stateSize() {
    return replicateDirectionOffset() + bootstrapReplicates * directions.length;
  }

}
