package io.isrank.estimate;

import io.isrank.math.Mixture;
import java.util.SplittableRandom;

/**
 * Sums of pointwise scores over the held-out rows of one partition; the executor-side half of
 * the scoring pass. Not thread-safe: one per task.
 *
 * <p>For each row it evaluates, once, the marginal log-density log p̂_V(v) of every target model
 * and, per pair (A, B), log p̂_AB(a, b) and the two block marginals log p̂ᴬ_AB(a), log p̂ᴮ_AB(b).
 * Then for a direction U→V
 * <pre>
 *   c_i = log p̂_UV(u_i, v_i) − log p̂ᵁ_UV(u_i)     (pointwise log p̂(v | u))
 *   s_i = c_i − log p̂_V(v_i)                       (pointwise sufficiency)
 * </pre>
 * and IS(U→V) = mean s_i, h(V|U) = −mean c_i, h(V) = −mean log p̂_V(v_i).
 *
 * <p>log p̂_V is V's own fitted marginal (the paper's separate estimate of h(V)), or, when the plan
 * says {@code targetFromJoint}, the V-block marginal of the pair's joint: IS is then the mutual
 * information of the fitted joint itself, E log p̂_UV/(p̂ᵁ_UV p̂ⱽ_UV) (non-negative under the fitted
 * model; on held-out data it can still dip below 0 where the joint misfits), free of the mismatch
 * between separately fitted densities. For single Gaussians the two coincide.
 *
 * <p>Poisson bootstrap: each row gets B independent Poisson(1) weights drawn from a generator
 * seeded by the row's key alone, so a row's weights do not depend on where it is processed, and
 * the weighted sums give B replicate estimates without a second pass.
 */
public final class ScoreAccumulator {
  private final ScoringPlan plan;
  private final double[] sums;
  private final double[] logMarginal;
  private final double[] logJoint;
  private final double[] logFirst;
  private final double[] logSecond;
  private final double[] pointwise;
  private final double[] weights;
  private final double[] work;

  public ScoreAccumulator(ScoringPlan plan) {
    this.plan = plan;
    this.sums = new double[plan.stateSize()];
    this.logMarginal = new double[plan.modelCount()];
    this.logJoint = new double[plan.pairCount()];
    this.logFirst = new double[plan.pairCount()];
    this.logSecond = new double[plan.pairCount()];
    this.pointwise = new double[plan.directionCount()];
    this.weights = new double[plan.bootstrapReplicates()];
    this.work = new double[plan.workSize()];
  }

  /**
   * Adds one held-out row.
   *
   * @param z      whitened vector of every model, {@code z[m].length == plan.dim(m)}
   * @param rowKey the row's split hash; seeds its bootstrap weights
   */
  public void add(double[][] z, long rowKey) {
    int models = plan.modelCount();
    sums[0] += 1;
    for (int m = 0; m < models; m++) {
      Mixture marginal = plan.marginal(m);
      if (marginal != null) {
        double lp = marginal.logDensity(z[m], null, work);
        logMarginal[m] = lp;
        sums[plan.modelSumOffset() + m] += lp;
        sums[plan.modelSquareOffset() + m] += lp * lp;
      }
    }
    for (int p = 0; p < plan.pairCount(); p++) {
      JointDensity pair = plan.pair(p);
      double[] a = z[pair.first()];
      double[] b = z[pair.second()];
      logJoint[p] = pair.joint().logDensity(a, b, work);
      logFirst[p] = pair.firstMarginal().logDensity(a, null, work);
      logSecond[p] = pair.secondMarginal().logDensity(b, null, work);
    }
    int offset = plan.directionOffset();
    for (int i = 0; i < plan.directionCount(); i++) {
      Direction d = plan.direction(i);
      double conditional = logJoint[d.pair()] - (d.sourceFirst() ? logFirst[d.pair()] : logSecond[d.pair()]);
      double target = plan.targetFromJoint() ? (d.sourceFirst() ? logSecond[d.pair()] : logFirst[d.pair()])
          : logMarginal[d.target()];
      double s = conditional - target;
      pointwise[i] = s;
      int o = offset + ScoringPlan.DIRECTION_SUMS * i;
      sums[o] += s;
      sums[o + 1] += s * s;
      sums[o + 2] += conditional;
      sums[o + 3] += conditional * conditional;
      sums[o + 4] += target;
      sums[o + 5] += target * target;
    }
    int replicates = plan.bootstrapReplicates();
    if (replicates > 0) {
      poissonWeights(rowKey, weights);
      int wo = plan.weightOffset();
      int mo = plan.replicateModelOffset();
      int dOff = plan.replicateDirectionOffset();
      int dirs = plan.directionCount();
      for (int r = 0; r < replicates; r++) {
        double w = weights[r];
        if (w == 0) {
          continue;
        }
        sums[wo + r] += w;
        int mBase = mo + r * models;
        for (int m = 0; m < models; m++) {
          sums[mBase + m] += w * logMarginal[m];
        }
        int dBase = dOff + r * dirs;
        for (int i = 0; i < dirs; i++) {
          sums[dBase + i] += w * pointwise[i];
        }
      }
    }
  }

  /** The pointwise sufficiency of the last row added for direction i (s_i = log p(v|u) − log p(v)). */
  public double lastPointwise(int direction) {
    return pointwise[direction];
  }

  /** The partition's sums, in the plan's layout (a copy). */
  public double[] sums() {
    return sums.clone();
  }

  /** Adds {@code other} into {@code into} element by element and returns {@code into}. */
  public static double[] merge(double[] into, double[] other) {
    if (into.length != other.length) {
      throw new IllegalArgumentException("cannot merge sums of lengths " + into.length + " and " + other.length);
    }
    for (int i = 0; i < into.length; i++) {
      into[i] += other[i];
    }
    return into;
  }

  /**
   * B Poisson(1) weights for the row with this key, by inversion of the CDF; the same key always
   * gives the same weights.
   */
  static void poissonWeights(long rowKey, double[] out) {
    SplittableRandom random = new SplittableRandom(rowKey ^ 0x5DEECE66DL);
    for (int r = 0; r < out.length; r++) {
      double u = random.nextDouble();
      double p = EXP_MINUS_ONE;
      double cdf = p;
      int k = 0;
      while (u > cdf && k < 64) {
        k++;
        p /= k;
        cdf += p;
      }
      out[r] = k;
    }
  }

  private static final double EXP_MINUS_ONE = Math.exp(-1);
}
