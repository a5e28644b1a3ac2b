package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.estimate.GaussianInformation;
import io.isrank.testkit.Synthetic;
import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With default settings, IS stays right when the shared information spans many directions mixed
 * non-orthogonally into each model (the case a fixed p = 16 cut by 77 %), and a model that carries
 * every other model's information ranks first. Truth: the closed-form mutual information of the
 * population covariance.
 */
class SpreadInformationTest extends SparkTestBase {
  /** Targets of the issue: median relative error ≤ 5 %, worst ≤ 15 %, over the directions. */
  private static final double MEDIAN_RELATIVE_ERROR = 0.05;
  private static final double WORST_RELATIVE_ERROR = 0.15;

  private static int[] offsets(int[] dims) {
    int[] o = new int[dims.length + 1];
    for (int j = 0; j < dims.length; j++) {
      o[j + 1] = o[j] + dims[j];
    }
    return o;
  }

  private static double truth(double[][] cov, int[] offsets, int a, int b) {
    return GaussianInformation.betweenBlocks(cov, offsets[a], offsets[a + 1], offsets[b], offsets[b + 1]);
  }

  @Test
  void informationSpreadOverManyDirectionsIsMeasuredInFull() {
    // six models of 8 to 64 dims seeing 4 to 24 of 24 shared factors, mixed with condition ≤ 10,
    // and an independent 32-dim model; 20,000 items, default settings
    int[] dims = {8, 16, 24, 32, 48, 64, 32};
    int[] factors = {4, 8, 12, 16, 24, 24, 0};
    String[] names = {"m8", "m16", "m24", "m32", "m48", "m64", "independent"};
    double[][] cov = Synthetic.latentZoo(dims, factors, 0.5, 10, 13);
    int[] off = offsets(dims);
    String input = write("spread", gaussianModels(names, off, cov, 20_000, 21), 4);
    Pipeline.Result r = Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("spread-out")
        .toString(), "--rank.bootstrap", "0"));

    List<Double> errors = new ArrayList<>();
    for (PairRow p : r.pairs()) {
      int a = Arrays.asList(names).indexOf(p.source());
      int b = Arrays.asList(names).indexOf(p.target());
      if (a == 6 || b == 6) {
        // independent: zero within sampling noise (2 SE; the bias correction leaves no offset)
        assertEquals(0.0, p.sufficiency(), 2 * p.standardError(), p.source() + "->" + p.target());
        continue;
      }
      double t = truth(cov, off, a, b);
      errors.add(Math.abs(p.sufficiency() - t) / t);
      assertEquals(dims[a], p.sourceReducedDim(), "every direction of " + p.source() + " carries information");
    }
    errors.sort(Comparator.naturalOrder());
    double median = errors.get(errors.size() / 2);
    double worst = errors.get(errors.size() - 1);
    assertTrue(median <= MEDIAN_RELATIVE_ERROR, "median relative error " + median);
    assertTrue(worst <= WORST_RELATIVE_ERROR, "worst relative error " + worst);
  }

  @Test
  void aModelCarryingEveryOtherModelsInformationRanksFirst() {
    // nested: M0 sees all 24 factors in 96 dims, M1 the first 20 in 80 … M5 the first 4 in 32
    int[] dims = {96, 80, 64, 48, 40, 32};
    int[] factors = {24, 20, 16, 12, 8, 4};
    String[] names = {"M0", "M1", "M2", "M3", "M4", "M5"};
    double[][] cov = Synthetic.latentZoo(dims, factors, 0.5, 10, 17);
    int[] off = offsets(dims);
    // the true informativeness (median over targets of MI / target dim) orders them M0 > … > M5
    double[] informativeness = new double[names.length];
    for (int a = 0; a < names.length; a++) {
      List<Double> v = new ArrayList<>();
      for (int b = 0; b < names.length; b++) {
        if (b != a) {
          v.add(truth(cov, off, a, b) / dims[b]);
        }
      }
      v.sort(Comparator.naturalOrder());
      informativeness[a] = v.get(2); // the median of 5 targets
    }
    for (int a = 0; a + 1 < names.length; a++) {
      assertTrue(informativeness[a] > informativeness[a + 1], "the population order is nested at " + a);
    }
    String input = write("nested", gaussianModels(names, off, cov, 20_000, 23), 4);
    Pipeline.Result r = Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("nested-out")
        .toString(), "--rank.bootstrap", "0"));
    assertEquals(List.of(names), r.ranking().stream().map(RankingRow::model).toList());
  }
}
