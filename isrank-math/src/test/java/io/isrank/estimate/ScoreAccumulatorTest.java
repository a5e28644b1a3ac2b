package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.math.CovarianceSums;
import io.isrank.math.Gaussian;
import io.isrank.math.Mixture;
import io.isrank.testkit.Synthetic;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreAccumulatorTest {
  private static final int SOURCE_DIM = 3;
  private static final int TARGET_DIM = 2;

  /** Two models, one pair, both directions, from a joint density and its blocks. */
  private static ScoringPlan plan(Gaussian joint, int replicates) {
    Mixture j = Mixture.single(joint);
    JointDensity pair = JointDensity.of(0, 1, j, SOURCE_DIM);
    Mixture[] marginals = {pair.firstMarginal(), pair.secondMarginal()};
    return new ScoringPlan(new int[] {SOURCE_DIM, TARGET_DIM}, marginals, List.of(pair),
        List.of(new Direction(0, 1, 0, true), new Direction(1, 0, 0, false)), replicates, false);
  }

  private static ScoreSummary score(ScoringPlan plan, double[][] rows) {
    ScoreAccumulator acc = new ScoreAccumulator(plan);
    for (int r = 0; r < rows.length; r++) {
      double[] row = rows[r];
      acc.add(new double[][] {Arrays.copyOfRange(row, 0, SOURCE_DIM), Arrays.copyOfRange(row, SOURCE_DIM, row.length)},
          r * 0x9E3779B97F4A7C15L);
    }
    return new ScoreSummary(plan, acc.sums());
  }

  @Test
  void trueDensitiesGiveTheClosedFormWithinFourStandardErrors() {
    double[][] cov = Synthetic.mixBlocks(Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.95, 0.6), SOURCE_DIM, 5);
    double truth = GaussianInformation.mutualInformation(cov, SOURCE_DIM);
    double[][] rows = Synthetic.sample(new double[5], cov, 20_000, 1);
    ScoreSummary s = score(plan(Gaussian.of(new double[5], cov), 0), rows);
    // With the true densities E[s_i] = I(U;V) exactly, so the only error is sampling noise:
    // |mean − truth| < 4 SE fails by chance with probability 6e-5.
    for (int d = 0; d < 2; d++) {
      Moments m = s.sufficiency(d);
      assertEquals(truth, m.mean(), 4 * m.standardError());
    }
  }

  /** The Gaussian fitted (mean and covariance) to 5,000 rows drawn from N(0, cov) with this seed. */
  private static Gaussian fitted(double[][] cov, long seed) {
    CovarianceSums sums = new CovarianceSums(new double[cov.length]);
    for (double[] row : Synthetic.sample(new double[cov.length], cov, 5_000, seed)) {
      sums.add(row);
    }
    return Gaussian.of(sums.mean(), sums.covariance());
  }

  @Test
  void fittedSingleGaussianMatchesClosedFormOnHeldOutRows() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.9, 0.7);
    double truth = GaussianInformation.fromCanonicalCorrelations(0.9, 0.7);
    double[][] eval = Synthetic.sample(new double[5], cov, 20_000, 3);
    ScoreSummary s = score(plan(fitted(cov, 2), 0), eval);
    // Held-out scoring of a fitted density adds a small downward bias of order (#parameters)/n_fit
    // ≈ 20/5000 = 0.004 nats per density; 0.02 nats covers it for the difference of three
    // densities, on top of 4 standard errors of sampling noise.
    Moments m = s.sufficiency(0);
    assertEquals(truth, m.mean(), 4 * m.standardError() + 0.02);
  }

  @Test
  void independentModelsGiveZero() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM);
    double[][] eval = Synthetic.sample(new double[5], cov, 20_000, 5);
    ScoreSummary s = score(plan(fitted(cov, 4), 0), eval);
    Moments m = s.sufficiency(1);
    // Same bias allowance as above: the estimate may dip slightly below zero.
    assertEquals(0.0, m.mean(), 4 * m.standardError() + 0.02);
  }

  @Test
  void entropiesDifferByTheSufficiency() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.8);
    ScoreSummary s = score(plan(Gaussian.of(new double[5], cov), 0), Synthetic.sample(new double[5], cov, 1_000, 6));
    double entropy = -s.logMarginal(1).mean();
    double conditional = -s.logConditional(0).mean();
    // IS = h(V) − h(V|U) holds row by row; only summation round-off separates the two sides.
    assertEquals(s.sufficiency(0).mean(), entropy - conditional, 1e-9);
  }

  @Test
  void bootstrapReplicatesSpreadLikeTheStandardError() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.9);
    ScoreSummary s = score(plan(Gaussian.of(new double[5], cov), 200), Synthetic.sample(new double[5], cov, 5_000, 7));
    double[] reps = new double[200];
    for (int r = 0; r < 200; r++) {
      reps[r] = s.replicateSufficiency(0, r);
    }
    double mean = Arrays.stream(reps).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(reps).map(x -> (x - mean) * (x - mean)).sum() / 199);
    double se = s.sufficiency(0).standardError();
    // The spread of 200 replicates estimates the SE with relative error about 1/√(2·200) = 5%;
    // 30% is six of those. The replicate mean is within 4 replicate-SDs / √200 of the estimate.
    assertEquals(se, sd, 0.3 * se);
    assertEquals(s.sufficiency(0).mean(), mean, 4 * sd / Math.sqrt(200) + 1e-12);
  }

  @Test
  void targetFromTheJointEqualsTheOwnMarginalForOneGaussian() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.7, 0.2);
    Gaussian joint = Gaussian.of(new double[5], cov);
    JointDensity pair = JointDensity.of(0, 1, Mixture.single(joint), SOURCE_DIM);
    Mixture[] marginals = {pair.firstMarginal(), pair.secondMarginal()};
    List<Direction> both = List.of(new Direction(0, 1, 0, true), new Direction(1, 0, 0, false));
    double[][] rows = Synthetic.sample(new double[5], cov, 500, 8);
    ScoreSummary own = score(new ScoringPlan(new int[] {SOURCE_DIM, TARGET_DIM}, marginals, List.of(pair), both, 0,
        false), rows);
    ScoreSummary fromJoint = score(new ScoringPlan(new int[] {SOURCE_DIM, TARGET_DIM}, marginals, List.of(pair), both,
        0, true), rows);
    // The block marginal of a single Gaussian is the marginal itself: identical sums.
    assertEquals(own.sufficiency(0).mean(), fromJoint.sufficiency(0).mean(), 0.0);
    assertEquals(-own.logMarginal(1).mean(), -fromJoint.logTarget(0).mean(), 1e-12);
  }

  @Test
  void poissonWeightsDependOnlyOnTheRowKey() {
    double[] a = new double[1000];
    double[] b = new double[1000];
    ScoreAccumulator.poissonWeights(42L, a);
    ScoreAccumulator.poissonWeights(42L, b);
    assertArrayEquals(a, b, 0.0);
    double mean = Arrays.stream(a).average().orElseThrow();
    double var = Arrays.stream(a).map(x -> (x - mean) * (x - mean)).sum() / 999;
    // Poisson(1): mean 1 and variance 1; with 1000 draws each is within ±0.2 at > 4 sigma.
    assertEquals(1.0, mean, 0.2);
    assertEquals(1.0, var, 0.25);
    assertTrue(Arrays.stream(a).allMatch(x -> x == Math.rint(x) && x >= 0));
  }

  @Test
  void poissonWeightsAreTheInverseCdfOfEachUniformDraw() {
    // The weights come from integer thresholds; they must be exactly what inverting the CDF of
    // each nextDouble() draw gives (the stored replicates of earlier runs depend on it).
    double[] got = new double[200];
    for (long key = -500; key < 500; key++) {
      ScoreAccumulator.poissonWeights(key * 0x9E3779B97F4A7C15L, got);
      java.util.SplittableRandom random = new java.util.SplittableRandom((key * 0x9E3779B97F4A7C15L) ^ 0x5DEECE66DL);
      for (int r = 0; r < got.length; r++) {
        double u = random.nextDouble();
        double p = Math.exp(-1);
        double cdf = p;
        int k = 0;
        while (u > cdf && k < 64) {
          k++;
          p /= k;
          cdf += p;
        }
        assertEquals(k, got[r], 0.0, "key " + key + ", replicate " + r);
      }
    }
  }

  /**
   * Adds rows [start, start + count) — each split into the source's and the target's coordinates —
   * as one block, row i with the key {@code keyOf(i)}; returns the keys.
   */
  private static long[] addBlock(ScoreAccumulator acc, double[][] rows, int start, int count,
      java.util.function.IntToLongFunction keyOf) {
    double[] u = new double[count * SOURCE_DIM];
    double[] v = new double[count * TARGET_DIM];
    long[] keys = new long[count];
    for (int r = 0; r < count; r++) {
      System.arraycopy(rows[start + r], 0, u, r * SOURCE_DIM, SOURCE_DIM);
      System.arraycopy(rows[start + r], SOURCE_DIM, v, r * TARGET_DIM, TARGET_DIM);
      keys[r] = keyOf.applyAsLong(start + r);
    }
    acc.addBlock(new double[][] {u, v}, keys, count);
    return keys;
  }

  @Test
  void blocksOfAnySizeGiveTheSameSumsAsRowsOneByOne() {
    // Partitions hold different numbers of rows, so blocks have different sizes: the sums must not
    // depend on how the rows were cut into blocks, to the last bit.
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.8, 0.3);
    Gaussian a = Gaussian.of(new double[5], cov);
    Gaussian b = Gaussian.of(new double[] {1, 0, 0, -1, 0}, cov);
    JointDensity pair = JointDensity.of(0, 1, Mixture.of(new double[] {0.3, 0.7}, new Gaussian[] {a, b}), SOURCE_DIM);
    ScoringPlan plan = new ScoringPlan(new int[] {SOURCE_DIM, TARGET_DIM},
        new Mixture[] {pair.firstMarginal(), pair.secondMarginal()}, List.of(pair),
        List.of(new Direction(0, 1, 0, true), new Direction(1, 0, 0, false)), 20, false);
    double[][] rows = Synthetic.sample(new double[5], cov, 600, 11);
    ScoreAccumulator single = new ScoreAccumulator(plan);
    for (int r = 0; r < rows.length; r++) {
      single.add(new double[][] {Arrays.copyOfRange(rows[r], 0, SOURCE_DIM), Arrays.copyOfRange(rows[r], SOURCE_DIM,
          5)}, r * 0x9E3779B97F4A7C15L);
    }
    double[] oneByOne = single.sums();
    ScoreAccumulator acc = new ScoreAccumulator(plan);
    int[] cuts = {0, 3, 4, 260, 517, 600}; // blocks of 3, 1, 256, 256 + 1 and 83 rows
    for (int c = 0; c + 1 < cuts.length; c++) {
      for (int start = cuts[c]; start < cuts[c + 1]; start += ScoreAccumulator.BLOCK) {
        int count = Math.min(ScoreAccumulator.BLOCK, cuts[c + 1] - start);
        addBlock(acc, rows, start, count, i -> i * 0x9E3779B97F4A7C15L);
        for (int r = 0; r < count; r++) {
          double s = acc.pointwise(r, 0);
          assertEquals(pair.joint().logDensity(rows[start + r]) - pair.firstMarginal().logDensity(
              Arrays.copyOfRange(rows[start + r], 0, SOURCE_DIM)) - pair.secondMarginal().logDensity(
              Arrays.copyOfRange(rows[start + r], SOURCE_DIM, 5)), s, 1e-10);
        }
      }
    }
    assertArrayEquals(oneByOne, acc.sums(), 0.0);
  }

  @Test
  void replicateSumsAddEachRowsWeightedScoresInRowOrder() {
    // The bootstrap sums are added replicate by replicate over a block; each sum must still be the
    // plain row-order sum of w_b(row) · s(row), to the last bit (what adding row by row, replicate
    // within row, gives), whatever the block sizes.
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.7, 0.2);
    JointDensity pair = JointDensity.of(0, 1, Mixture.of(new double[] {1}, new Gaussian[] {Gaussian.of(new double[5], cov)}),
        SOURCE_DIM);
    int replicates = 30;
    ScoringPlan plan = new ScoringPlan(new int[] {SOURCE_DIM, TARGET_DIM},
        new Mixture[] {pair.firstMarginal(), pair.secondMarginal()}, List.of(pair),
        List.of(new Direction(0, 1, 0, true), new Direction(1, 0, 0, false)), replicates, false);
    double[][] rows = Synthetic.sample(new double[5], cov, 700, 5);
    ScoreAccumulator acc = new ScoreAccumulator(plan);
    int dirs = plan.directionCount();
    double[] weightSums = new double[replicates];
    double[] directionSums = new double[replicates * dirs];
    double[] w = new double[replicates];
    int[] cuts = {0, 256, 257, 500, 700};
    for (int c = 0; c + 1 < cuts.length; c++) {
      int start = cuts[c];
      int count = cuts[c + 1] - start;
      long[] keys = addBlock(acc, rows, start, count, i -> i * 0xC2B2AE3D27D4EB4FL + 1);
      for (int r = 0; r < count; r++) { // the reference: row by row, replicate within row
        ScoreAccumulator.poissonWeights(keys[r], w);
        for (int b = 0; b < replicates; b++) {
          if (w[b] == 0) {
            continue;
          }
          weightSums[b] += w[b];
          for (int i = 0; i < dirs; i++) {
            directionSums[b * dirs + i] += w[b] * acc.pointwise(r, i);
          }
        }
      }
    }
    double[] sums = acc.sums();
    assertArrayEquals(weightSums, Arrays.copyOfRange(sums, plan.weightOffset(), plan.weightOffset() + replicates), 0.0);
    assertArrayEquals(directionSums, Arrays.copyOfRange(sums, plan.replicateDirectionOffset(),
        plan.replicateDirectionOffset() + replicates * dirs), 0.0);
  }

  @Test
  void theJointsHeldOutLogLikelihoodIsTheMeanLogDensity() {
    double[][] cov = Synthetic.canonicalCovariance(SOURCE_DIM, TARGET_DIM, 0.6);
    Gaussian joint = Gaussian.of(new double[5], cov);
    double[][] rows = Synthetic.sample(new double[5], cov, 300, 12);
    ScoreSummary s = score(plan(joint, 0), rows);
    double mean = Arrays.stream(rows).mapToDouble(joint::logDensity).average().orElseThrow();
    assertEquals(mean, s.logJoint(0).mean(), 1e-10);
  }
}
