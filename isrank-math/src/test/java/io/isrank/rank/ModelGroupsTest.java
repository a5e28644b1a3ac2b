package io.isrank.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelGroupsTest {
  /** Planted groups: within-group IS around `within`, across groups around `across`, with noise. */
  private static double[][] planted(int[] truth, double within, double across, double noise, long seed) {
    int m = truth.length;
    SplittableRandom r = new SplittableRandom(seed);
    double[][] is = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i != j) {
          is[i][j] = (truth[i] == truth[j] ? within : across) + noise * (r.nextDouble() - 0.5);
        }
      }
    }
    return is;
  }

  @Test
  void recoversPlantedGroupsAndAnIsolatedNoiseModel() {
    // models 0, 2, 4 share information, 1, 3 share other information, 5 is noise (shares nothing)
    int[] truth = {0, 1, 0, 1, 0, 2};
    double[][] is = planted(truth, 0.8, 0.15, 0.1, 3);
    for (int i = 0; i < 6; i++) {
      is[5][i] = 0.01 * i;
      is[i][5] = 0.0;
    }
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 2}, Explanations.groups(is));
  }

  @Test
  void manySeedsOfNoiseDoNotBreakTheGroups() {
    int[] truth = {0, 0, 1, 1, 1, 2, 2, 2};
    for (long seed = 0; seed < 20; seed++) {
      int[] got = Explanations.groups(planted(truth, 0.6, 0.1, 0.2, seed));
      assertArrayEquals(truth, got, "seed " + seed);
    }
  }

  @Test
  void noStructureGivesOneGroupAndNoInformationGivesSingletons() {
    double[][] flat = planted(new int[] {0, 0, 0, 0}, 0.5, 0.5, 0.0, 1);
    assertArrayEquals(new int[] {0, 0, 0, 0}, ModelGroups.groups(flat, 0.05));
    double[][] none = new double[3][3];
    assertArrayEquals(new int[] {0, 1, 2}, ModelGroups.groups(none, 0.05));
  }

  @Test
  void explanationsNameStrongestWeakestAndSimulator() {
    List<String> models = List.of("a", "b", "c");
    double[][] is = {
        {Double.NaN, 0.9, 0.2},
        {0.7, Double.NaN, 0.1},
        {0.3, 0.05, Double.NaN}};
    int[] groups = Explanations.groups(is);
    List<Explanations.Explanation> e = Explanations.explain(models, new int[] {1, 2, 3}, is, groups,
        new String[] {"on the cost front", null, null});
    assertEquals("b", e.get(0).strongestTarget());
    assertEquals("c", e.get(0).weakestTarget());
    assertEquals("b", e.get(0).bestSimulator()); // b -> a is 0.7, c -> a is 0.3
    // medians of the other sources per target: onto b {0.9, 0.05} -> 0.475, onto c {0.2, 0.1} -> 0.15
    assertEquals(2, e.get(0).aboveMedian());
    assertEquals(2, e.get(0).targets());
    assertTrue(e.get(0).sentence().startsWith("ranked 1st of 3: simulates 2 of 2 models better than the median "
        + "source; strongest on b (0.900), weakest on c (0.200); best simulated by b"), e.get(0).sentence());
    assertTrue(e.get(0).sentence().endsWith("; on the cost front"), e.get(0).sentence());
    assertEquals(0, e.get(2).aboveMedian());
    assertEquals("3rd", Explanations.ordinal(3));
    assertEquals("11th", Explanations.ordinal(11));
    assertEquals("22nd", Explanations.ordinal(22));
  }
}
