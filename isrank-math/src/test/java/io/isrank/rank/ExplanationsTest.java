package io.isrank.rank;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The explanations say nothing the IS matrix contradicts. */
class ExplanationsTest {
  private static final List<String> MODELS = List.of("a", "b", "c", "noise");

  private static List<Explanations.Explanation> explain(double[][] normalised, int[] groups) {
    return Explanations.explain(MODELS, new int[] {1, 2, 3, 4}, normalised, groups, null);
  }

  @Test
  void aModelAloneInItsGroupButWithAStrongPairIsNotSaidToShareLittle() {
    // a–b 0.20, a–c 0.12 (60% of the strongest pair), b–c 0.02, noise ~0: c ends up alone when the
    // groups are cut at the largest drop, but its pair with a is the third-strongest in the matrix
    double[][] n = {
        {Double.NaN, 0.20, 0.12, 0.0001},
        {0.20, Double.NaN, 0.02, 0.0001},
        {0.12, 0.02, Double.NaN, 0.0001},
        {0.0001, 0.0001, 0.0001, Double.NaN}};
    List<Explanations.Explanation> e = explain(n, new int[] {0, 0, 1, 2});
    String c = e.get(2).sentence();
    assertFalse(c.contains("shares little information"), c);
    assertTrue(c.contains("a group of its own at the clustering's cut, though it shares information with a "
        + "(0.120, 60% of the strongest pair)"), c);
    String noise = e.get(3).sentence();
    assertTrue(noise.contains("shares little information with the others (a group of its own)"), noise);
    assertTrue(e.get(0).sentence().contains("carries information similar to b"), e.get(0).sentence());
  }
}
