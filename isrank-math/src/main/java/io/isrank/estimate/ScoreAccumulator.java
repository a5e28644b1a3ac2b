package io.isrank.estimate;

import io.isrank.math.MixtureKernel;
import java.util.SplittableRandom;

/**
 * Sums of pointwise scores over the held-out rows of one partition; the executor-side half of
 * the scoring pass. Rows come in blocks ({@link #addBlock}), and each density is evaluated on a
 * whole block at once by its {@link MixtureKernel}. Not thread-safe: one per task.
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
  /** Rows evaluated together: every density's kernel runs once per block. */
  public static final int BLOCK = 256;

  private final ScoringPlan plan;
  private final double[] sums;
  private final MixtureKernel[] marginalKernels;
  private final MixtureKernel[] jointKernels;
  private final MixtureKernel[] firstKernels;
  private final MixtureKernel[] secondKernels;
  private final double[][] logMarginal;
  private final double[][] logJoint;
  private final double[][] logFirst;
  private final double[][] logSecond;
  private final double[][] pointwise;
  private final double[] pairRows;
  private final double[] weights;
  /** The block's bootstrap weights, [replicate][row]. */
  private final double[][] blockWeights;
  /**
   * What the bootstrap sums add up, one array per row of the block: the models' log marginal
   * densities (0 for a model without one), then the pointwise sufficiencies by direction.
   */
  private final double[][] rowScores;
  /** One replicate's model and direction sums while a block is added to them. */
  private final double[] replicateSums;
  /** The block's rows with a non-zero weight in one replicate. */
  private final int[] weighted;
  private int blockRows;

  public ScoreAccumulator(ScoringPlan plan) {
    this.plan = plan;
    this.sums = new double[plan.stateSize()];
    int models = plan.modelCount();
    int pairs = plan.pairCount();
    this.marginalKernels = new MixtureKernel[models];
    this.logMarginal = new double[models][BLOCK];
    for (int m = 0; m < models; m++) {
      if (plan.marginal(m) != null) {
        marginalKernels[m] = MixtureKernel.of(plan.marginal(m));
      }
    }
    this.jointKernels = new MixtureKernel[pairs];
    this.firstKernels = new MixtureKernel[pairs];
    this.secondKernels = new MixtureKernel[pairs];
    int widest = 0;
    for (int p = 0; p < pairs; p++) {
      JointDensity pair = plan.pair(p);
      jointKernels[p] = MixtureKernel.of(pair.joint());
      firstKernels[p] = MixtureKernel.of(pair.firstMarginal());
      secondKernels[p] = MixtureKernel.of(pair.secondMarginal());
      widest = Math.max(widest, pair.joint().dim());
    }
    this.logJoint = new double[pairs][BLOCK];
    this.logFirst = new double[pairs][BLOCK];
    this.logSecond = new double[pairs][BLOCK];
    this.pointwise = new double[plan.directionCount()][BLOCK];
    this.pairRows = new double[BLOCK * widest];
    this.weights = new double[plan.bootstrapReplicates()];
    this.blockWeights = new double[plan.bootstrapReplicates()][BLOCK];
    this.rowScores = new double[BLOCK][models + plan.directionCount()];
    this.replicateSums = new double[models + plan.directionCount()];
    this.weighted = new int[BLOCK];
  }

  /**
   * Adds one held-out row.
   *
   * @param z      whitened vector of every model, {@code z[m].length == plan.dim(m)}
   * @param rowKey the row's split hash; seeds its bootstrap weights
   */
  public void add(double[][] z, long rowKey) {
    addBlock(z, new long[] {rowKey}, 1);
  }

  /**
   * Adds a block of up to {@link #BLOCK} held-out rows: every density is evaluated on the whole
   * block by its {@link MixtureKernel}, then each row's scores are summed in row order. The sums
   * are the same as adding the rows one at a time.
   *
   * @param z       per model, the block's whitened vectors as a row-major {@code count × plan.dim(m)} array
   * @param rowKeys the rows' split hashes; seed their bootstrap weights
   */
  public void addBlock(double[][] z, long[] rowKeys, int count) {
    if (count < 0 || count > BLOCK) {
      throw new IllegalArgumentException("a block holds 0 to " + BLOCK + " rows, got " + count);
    }
    int models = plan.modelCount();
    for (int m = 0; m < models; m++) {
      if (marginalKernels[m] != null) {
        marginalKernels[m].logDensities(z[m], 0, plan.dim(m), count, logMarginal[m], 0);
      }
    }
    for (int p = 0; p < plan.pairCount(); p++) {
      JointDensity pair = plan.pair(p);
      int da = plan.dim(pair.first());
      int db = plan.dim(pair.second());
      double[] a = z[pair.first()];
      double[] b = z[pair.second()];
      int d = da + db;
      for (int r = 0; r < count; r++) {
        System.arraycopy(a, r * da, pairRows, r * d, da);
        System.arraycopy(b, r * db, pairRows, r * d + da, db);
      }
      jointKernels[p].logDensities(pairRows, 0, d, count, logJoint[p], 0);
      firstKernels[p].logDensities(a, 0, da, count, logFirst[p], 0);
      secondKernels[p].logDensities(b, 0, db, count, logSecond[p], 0);
    }
    for (int r = 0; r < count; r++) {
      addRow(r);
    }
    if (plan.bootstrapReplicates() > 0) {
      addReplicates(rowKeys, count);
    }
    blockRows = count;
  }

  private void addRow(int r) {
    int models = plan.modelCount();
    sums[0] += 1;
    for (int m = 0; m < models; m++) {
      if (marginalKernels[m] != null) {
        double lp = logMarginal[m][r];
        sums[plan.modelSumOffset() + m] += lp;
        sums[plan.modelSquareOffset() + m] += lp * lp;
      }
    }
    int pairOffset = plan.pairOffset();
    for (int p = 0; p < plan.pairCount(); p++) {
      double lp = logJoint[p][r];
      sums[pairOffset + 2 * p] += lp;
      sums[pairOffset + 2 * p + 1] += lp * lp;
    }
    int offset = plan.directionOffset();
    for (int i = 0; i < plan.directionCount(); i++) {
      Direction d = plan.direction(i);
      int p = d.pair();
      double conditional = logJoint[p][r] - (d.sourceFirst() ? logFirst[p][r] : logSecond[p][r]);
      double target = plan.targetFromJoint() ? (d.sourceFirst() ? logSecond[p][r] : logFirst[p][r])
          : logMarginal[d.target()][r];
      double s = conditional - target;
      pointwise[i][r] = s;
      rowScores[r][plan.modelCount() + i] = s;
      int o = offset + ScoringPlan.DIRECTION_SUMS * i;
      sums[o] += s;
      sums[o + 1] += s * s;
      sums[o + 2] += conditional;
      sums[o + 3] += conditional * conditional;
      sums[o + 4] += target;
      sums[o + 5] += target * target;
    }
  }

  /**
   * The block's bootstrap sums, row by row and replicate by replicate: a replicate's sums take a
   * row's terms times its weight (rows of weight 0 are skipped). The rows' pointwise scores are
   * read from one row-major array, so the loop over directions runs on contiguous memory.
   */
  /**
   * Adds the block to every bootstrap replicate's sums: sum_b += w_b(row) · x(row) for each row's
   * Poisson weight w_b and scores x (log marginals, pointwise sufficiencies). Replicate by
   * replicate, the block's rows with a non-zero weight in row order, four at a time written as
   * ((((sum + w₀x₀) + w₁x₁) + w₂x₂) + w₃x₃) — Java neither reorders nor fuses these — so each sum
   * receives its terms one by one in row order, the same additions as row by row, while the
   * replicate's sums sit in a small array read and written at the index of the rows' scores (a
   * loop the JIT vectorises) and are loaded once per four rows.
   */
  private void addReplicates(long[] rowKeys, int count) {
    int replicates = plan.bootstrapReplicates();
    int models = plan.modelCount();
    int wo = plan.weightOffset();
    int mo = plan.replicateModelOffset();
    int dOff = plan.replicateDirectionOffset();
    int dirs = plan.directionCount();
    int width = models + dirs;
    for (int r = 0; r < count; r++) {
      poissonWeights(rowKeys[r], weights);
      for (int rep = 0; rep < replicates; rep++) {
        blockWeights[rep][r] = weights[rep];
      }
      double[] x = rowScores[r];
      for (int m = 0; m < models; m++) {
        x[m] = marginalKernels[m] != null ? logMarginal[m][r] : 0.0; // w · 0 leaves a +0.0 sum as it is
      }
    }
    double[] acc = replicateSums;
    int[] rows = weighted;
    for (int rep = 0; rep < replicates; rep++) {
      double[] w = blockWeights[rep];
      int n = 0;
      for (int r = 0; r < count; r++) {
        rows[n] = r;
        n += w[r] != 0 ? 1 : 0;
      }
      double total = sums[wo + rep];
      for (int k = 0; k < n; k++) {
        total += w[rows[k]];
      }
      sums[wo + rep] = total;
      System.arraycopy(sums, mo + rep * models, acc, 0, models);
      System.arraycopy(sums, dOff + rep * dirs, acc, models, dirs);
      int k = 0;
      for (; k + 4 <= n; k += 4) {
        double w0 = w[rows[k]];
        double w1 = w[rows[k + 1]];
        double w2 = w[rows[k + 2]];
        double w3 = w[rows[k + 3]];
        double[] x0 = rowScores[rows[k]];
        double[] x1 = rowScores[rows[k + 1]];
        double[] x2 = rowScores[rows[k + 2]];
        double[] x3 = rowScores[rows[k + 3]];
        for (int i = 0; i < width; i++) {
          acc[i] = acc[i] + w0 * x0[i] + w1 * x1[i] + w2 * x2[i] + w3 * x3[i];
        }
      }
      for (; k < n; k++) {
        double wr = w[rows[k]];
        double[] x = rowScores[rows[k]];
        for (int i = 0; i < width; i++) {
          acc[i] += wr * x[i];
        }
      }
      System.arraycopy(acc, 0, sums, mo + rep * models, models);
      System.arraycopy(acc, models, sums, dOff + rep * dirs, dirs);
    }
  }

  /** The pointwise sufficiency of row r of the last block for direction i. */
  public double pointwise(int row, int direction) {
    if (row < 0 || row >= blockRows) {
      throw new IndexOutOfBoundsException("row " + row + " of a block of " + blockRows);
    }
    return pointwise[direction][row];
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
      // u = m·2⁻⁵³ (as nextDouble), and u > cdf ⇔ m > ⌊cdf·2⁵³⌋: the first thresholds are compared
      // without branches (k ≤ 7 with probability 1 − 10⁻⁵), the rest in a loop.
      long m = random.nextLong() >>> 11;
      int k = (m > THRESHOLD[0] ? 1 : 0) + (m > THRESHOLD[1] ? 1 : 0) + (m > THRESHOLD[2] ? 1 : 0)
          + (m > THRESHOLD[3] ? 1 : 0) + (m > THRESHOLD[4] ? 1 : 0) + (m > THRESHOLD[5] ? 1 : 0)
          + (m > THRESHOLD[6] ? 1 : 0) + (m > THRESHOLD[7] ? 1 : 0);
      while (k >= 8 && k < 64 && m > THRESHOLD[k]) {
        k++;
      }
      out[r] = k;
    }
  }

  private static final double EXP_MINUS_ONE = Math.exp(-1);

  /**
   * ⌊P(K ≤ k)·2⁵³⌋ for K ~ Poisson(1), k = 0 … 64, the CDF summed as e⁻¹ + e⁻¹/1 + e⁻¹/1/2 + …:
   * a uniform draw u = m·2⁻⁵³ exceeds P(K ≤ k) exactly when m exceeds this.
   */
  private static final long[] THRESHOLD = new long[65];

  static {
    double p = EXP_MINUS_ONE;
    double cdf = p;
    THRESHOLD[0] = (long) (cdf * 0x1.0p53);
    for (int k = 1; k <= 64; k++) {
      p /= k;
      cdf += p;
      THRESHOLD[k] = (long) (cdf * 0x1.0p53);
    }
  }
}
