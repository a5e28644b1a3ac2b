package io.isrank.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.estimate.Direction;
import io.isrank.estimate.JointDensity;
import io.isrank.estimate.PairSelection;
import io.isrank.estimate.ScoreAccumulator;
import io.isrank.estimate.ScoreSummary;
import io.isrank.estimate.ScoringPlan;
import io.isrank.fit.EstimatorConfig;
import io.isrank.fit.EstimatorType;
import io.isrank.fit.FitDiagnostics;
import io.isrank.fit.FittedDensities;
import io.isrank.load.ModelMetadata;
import io.isrank.math.Gaussian;
import io.isrank.math.Mixture;
import io.isrank.math.Whitening;
import io.isrank.rank.Normalisation;
import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rank stage on densities whose information is known in closed form: models a and b share
 * two directions with correlation 0.9 each, c shares nothing. No Spark: the scores come from a
 * ScoreAccumulator fed with rows drawn from the true joint.
 */
class RankTablesTest {
  private static final List<String> MODELS = List.of("a", "b", "c");
  private static final double RHO = 0.9;
  /** I(a; b) = −½ Σ log(1 − ρ²) over the two shared directions. */
  private static final double MI = -Math.log(1 - RHO * RHO);

  /** The true covariance of (a, b, c), two coordinates each. */
  private static double[][] covariance() {
    double[][] c = new double[6][6];
    for (int i = 0; i < 6; i++) {
      c[i][i] = 1;
    }
    for (int j = 0; j < 2; j++) {
      c[j][2 + j] = RHO;
      c[2 + j][j] = RHO;
    }
    return c;
  }

  private static double[][] block(double[][] c, int[] idx) {
    double[][] out = new double[idx.length][idx.length];
    for (int i = 0; i < idx.length; i++) {
      for (int j = 0; j < idx.length; j++) {
        out[i][j] = c[idx[i]][idx[j]];
      }
    }
    return out;
  }

  private static RankTables.Tables tables() {
    double[][] cov = covariance();
    PairSelection selection = PairSelection.of(3, List.of(0, 1, 2), List.of(0, 1, 2));
    Mixture[] marginals = new Mixture[3];
    FitDiagnostics[] marginalFits = new FitDiagnostics[3];
    for (int m = 0; m < 3; m++) {
      marginals[m] = Mixture.single(Gaussian.of(new double[2], block(cov, new int[] {2 * m, 2 * m + 1})));
      marginalFits[m] = new FitDiagnostics("marginal " + MODELS.get(m), 1, 0, 0, true, 0, 0, Double.NaN, Double.NaN);
    }
    List<JointDensity> joints = new ArrayList<>();
    List<FitDiagnostics> jointFits = new ArrayList<>();
    for (int[] p : selection.pairs()) {
      int[] idx = {2 * p[0], 2 * p[0] + 1, 2 * p[1], 2 * p[1] + 1};
      joints.add(JointDensity.of(p[0], p[1], Mixture.single(Gaussian.of(new double[4], block(cov, idx))), 2));
      jointFits.add(new FitDiagnostics("joint", 1, 0, 0, true, 0, 0, Double.NaN, Double.NaN));
    }
    int replicates = 100;
    ScoringPlan plan = new ScoringPlan(new int[] {2, 2, 2}, marginals, joints, selection.directions(), replicates,
        false);
    // 20,000 rows of the true joint (Cholesky by hand: a, b correlated pairwise, c independent)
    ScoreAccumulator acc = new ScoreAccumulator(plan);
    Random random = new Random(17);
    double s = Math.sqrt(1 - RHO * RHO);
    for (long row = 0; row < 20_000; row++) {
      double[] a = {random.nextGaussian(), random.nextGaussian()};
      double[] b = {RHO * a[0] + s * random.nextGaussian(), RHO * a[1] + s * random.nextGaussian()};
      double[] c = {random.nextGaussian(), random.nextGaussian()};
      acc.add(new double[][] {a, b, c}, row * 0x9E3779B97F4A7C15L);
    }
    ScoreSummary summary = new ScoreSummary(plan, acc.sums());
    Map<String, Whitening> whitenings = new LinkedHashMap<>();
    for (String m : MODELS) {
      whitenings.put(m, Whitening.fit(new double[2], new double[][] {{1, 0}, {0, 1}}, 2, 1e-9));
    }
    RankTables builder = new RankTables(new RankConfig(Normalisation.DIM, List.of(), List.of(), replicates, 0.95),
        new EstimatorConfig(EstimatorType.GAUSSIAN, 1e-4, false, false));
    return builder.build(new RankTables.Inputs(MODELS, whitenings, 10_000, selection,
        new FittedDensities(marginals, joints, marginalFits, jointFits), summary, new boolean[3][3],
        ModelMetadata.none(), List.of()));
  }

  @Test
  void pairsCarryTheClosedFormInformationWithinTheirStandardErrors() {
    List<PairRow> pairs = tables().pairs();
    assertEquals(6, pairs.size(), "every ordered pair of three models");
    for (PairRow p : pairs) {
      boolean shared = !p.source().equals("c") && !p.target().equals("c");
      double truth = shared ? MI : 0.0;
      // the scores are a sample mean of 20,000 held-out rows: within 4 of its reported standard
      // errors of the truth (a 6e-5 chance per pair of failing by chance)
      assertEquals(truth, p.sufficiency(), 4 * p.standardError(), p.source() + " → " + p.target());
      assertEquals(p.sufficiency() / 2, p.normalisedSufficiency(), 1e-12, "IS / dim of the target (2)");
      assertTrue(p.lower() <= p.sufficiency() && p.sufficiency() <= p.upper(), "the interval holds its estimate");
      assertEquals(0.0, p.biasCorrection(), 0.0, "bias correction off");
    }
  }

  @Test
  void theRankingPutsTheModelThatSharesNothingLastAndInAGroupOfItsOwn() {
    List<RankingRow> ranking = tables().ranking();
    // a and b hold the same information about each other: tied within uncertainty, they share rank 1
    assertEquals(List.of(1, 1, 3), ranking.stream().map(RankingRow::rank).toList());
    RankingRow last = ranking.get(2);
    assertEquals("c", last.model());
    // a's targets are b (MI / 2 per dimension) and c (0): the median of two is their mean
    RankingRow a = ranking.stream().filter(r -> r.model().equals("a")).findFirst().orElseThrow();
    assertEquals(MI / 4, a.informativeness(), 0.02, "median over a's targets of IS / 2");
    assertTrue(last.informativeness() < a.informativeness());
    assertNotEquals(a.group(), last.group(), "c shares no information with a");
    assertTrue(last.explanation().contains("shares little information"), last.explanation());
  }
}
